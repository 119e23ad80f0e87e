import { describe, expect, it } from 'vitest';
import { collectInput, type DeclaredParameter, parseArray } from '../../../src/bedrock/parse.js';
import { AppError } from '../../../src/domain/errors.js';
import { thrown } from '../../helpers/errors.js';

const confirmDeclared: DeclaredParameter[] = [
  { name: 'project_id', type: 'string' },
  { name: 'date', type: 'string' },
  { name: 'time', type: 'string' },
];

const param = (name: string, value: unknown, type = 'string') => ({ name, type, value });

const bodyOf = (properties: unknown) => ({ content: { 'application/json': { properties } } });

/** Runs `act` and returns what it threw, failing the test if it did not throw. */
describe('collectInput', () => {
  it('merges query parameters and request body properties into one input', () => {
    // Prepare
    const event = {
      parameters: [param('project_id', '12347')],
      requestBody: bodyOf([param('date', '2026-12-02'), param('time', '10:00 AM')]),
    };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result).toStrictEqual({
      input: { project_id: '12347', date: '2026-12-02', time: '10:00 AM' },
      ignored: [],
    });
  });

  it.each([
    ['missing', {}],
    ['null', { parameters: null }],
    ['empty', { parameters: [] }],
  ])('reads only the request body when parameters is %s', (_label, extra) => {
    // Prepare
    const event = { ...extra, requestBody: bodyOf([param('project_id', '12345')]) };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result).toStrictEqual({ input: { project_id: '12345' }, ignored: [] });
  });

  it('reads only the parameters when there is no request body', () => {
    // Prepare
    const event = { parameters: [param('project_id', '12345'), param('date', '2026-12-02')] };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result).toStrictEqual({ input: { project_id: '12345', date: '2026-12-02' }, ignored: [] });
  });

  it('returns an empty input for an event with neither parameters nor a body', () => {
    // Act
    const result = collectInput({}, confirmDeclared);

    // Assess
    expect(result).toStrictEqual({ input: {}, ignored: [] });
  });

  it('accepts a null request body as no body', () => {
    // Act
    const result = collectInput({ requestBody: null, parameters: [param('date', '2026-12-02')] }, confirmDeclared);

    // Assess
    expect(result.input).toStrictEqual({ date: '2026-12-02' });
  });

  it('ignores a request body without application/json content', () => {
    // Prepare
    const event = { requestBody: { content: { 'text/plain': { properties: [param('project_id', '1')] } } } };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result).toStrictEqual({ input: {}, ignored: [] });
  });

  it('rejects a request body that is not an object', () => {
    // Act
    const error = thrown(() => collectInput({ requestBody: 'project_id=1' }, confirmDeclared));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
  });

  it.each([
    ['a number', 42, '42'],
    ['a boolean', true, 'true'],
    ['false', false, 'false'],
    ['zero', 0, '0'],
    ['an object', { a: 1 }, '{"a":1}'],
    ['an empty string', '', ''],
  ])('turns %s value into a string', (_label, value, expected) => {
    // Prepare
    const event = { parameters: [param('project_id', value)] };

    // Act
    const { input } = collectInput(event, confirmDeclared);

    // Assess
    expect(input.project_id).toBe(expected);
  });

  it('skips declared parameters whose value is null or missing', () => {
    // Prepare
    const event = { parameters: [{ name: 'project_id', value: null }, { name: 'date' }, param('time', '10:00 AM')] };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result.input).toStrictEqual({ time: '10:00 AM' });
    expect('project_id' in result.input).toBe(false);
    expect(result.ignored).toStrictEqual([]);
  });

  it('lists an undeclared name such as a model-invented customer_id as ignored and keeps it out of the input', () => {
    // Prepare
    const event = {
      parameters: [param('customer_id', '999'), param('project_id', '12347')],
      requestBody: bodyOf([param('client_id', 'other')]),
    };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result.input).toStrictEqual({ project_id: '12347' });
    expect(result.ignored).toStrictEqual(['customer_id', 'client_id']);
  });

  it('lists an undeclared name once even when it is given several times', () => {
    // Prepare
    const event = {
      parameters: [param('customer_id', '1')],
      requestBody: bodyOf([param('customer_id', '2'), param('customer_id', null)]),
    };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result.ignored).toStrictEqual(['customer_id']);
    expect(result.input).toStrictEqual({});
  });

  it('ignores every name when the operation declares no parameters', () => {
    // Act
    const result = collectInput({ parameters: [param('project_id', '1')] }, []);

    // Assess
    expect(result).toStrictEqual({ input: {}, ignored: ['project_id'] });
  });

  it('rejects the same name given twice with different values and names the field', () => {
    // Prepare
    const event = {
      parameters: [param('project_id', '12345')],
      requestBody: bodyOf([param('project_id', '12347')]),
    };

    // Act
    const error = thrown(() => collectInput(event, confirmDeclared));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).field).toBe('project_id');
    expect((error as AppError).message).toContain('project_id');
    expect((error as AppError).errorType).toBe('validation_error');
  });

  it('rejects a duplicate within the parameters list itself', () => {
    // Prepare
    const event = { parameters: [param('date', '2026-12-02'), param('date', '2026-12-03')] };

    // Act
    const error = thrown(() => collectInput(event, confirmDeclared));

    // Assess
    expect((error as AppError).field).toBe('date');
  });

  it('accepts the same name twice when both values are equal', () => {
    // Prepare
    const event = {
      parameters: [param('project_id', '12345')],
      requestBody: bodyOf([param('project_id', '12345')]),
    };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result).toStrictEqual({ input: { project_id: '12345' }, ignored: [] });
  });

  it('accepts a number and its string spelling as the same value', () => {
    // Prepare
    const event = { parameters: [param('project_id', 12345), param('project_id', '12345')] };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result.input).toStrictEqual({ project_id: '12345' });
  });

  it('does not treat a null repeat as a conflicting value', () => {
    // Prepare
    const event = { parameters: [param('project_id', '12345'), param('project_id', null)] };

    // Act
    const result = collectInput(event, confirmDeclared);

    // Assess
    expect(result.input).toStrictEqual({ project_id: '12345' });
  });

  it.each([
    ['a string', 'project_id=1'],
    ['an object', { name: 'project_id', value: '1' }],
    ['a number', 7],
  ])('rejects parameters given as %s', (_label, parameters) => {
    // Act
    const error = thrown(() => collectInput({ parameters }, confirmDeclared));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('parameters');
  });

  it('rejects request body properties that are not a list', () => {
    // Act
    const error = thrown(() => collectInput({ requestBody: bodyOf({ project_id: '1' }) }, confirmDeclared));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('request body properties');
  });

  it.each([
    ['without a name', { value: '1' }],
    ['with an empty name', { name: '', value: '1' }],
    ['with a numeric name', { name: 5, value: '1' }],
    ['that is null', null],
    ['that is a string', 'project_id'],
    ['that is an array', ['project_id', '1']],
  ])('rejects a parameter entry %s', (_label, entry) => {
    // Act
    const error = thrown(() => collectInput({ parameters: [param('date', '2026-12-02'), entry] }, confirmDeclared));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/needs a name/);
  });

  it('rejects a request body property without a name', () => {
    // Act
    const error = thrown(() => collectInput({ requestBody: bodyOf([{ value: 'x' }]) }, confirmDeclared));

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain('request body properties');
  });

  describe('for a declared integer parameter', () => {
    const declared: DeclaredParameter[] = [{ name: 'days', type: 'integer' }];

    it.each([
      ['7', 7],
      [' 16 ', 16],
      ['3.5', 3.5],
      ['1e1', 10],
      ['-2', -2],
    ])('reads %j as the number %d (the validator then checks its range)', (value, expected) => {
      expect(collectInput({ parameters: [param('days', value, 'integer')] }, declared).input).toEqual({
        days: expected,
      });
    });

    it.each(['Infinity', '-Infinity', '1e400', 'NaN', '0x10', '', 'seven', '9'.repeat(400)])(
      'refuses %j with a 400 naming the field',
      (value) => {
        const error = thrown(() => collectInput({ parameters: [param('days', value, 'integer')] }, declared));
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ field: 'days', status: 400 });
        expect((error as AppError).message).toMatch(/^days must be an integer; got "/);
      },
    );
  });

  describe('for a declared array parameter', () => {
    const declared: DeclaredParameter[] = [
      { name: 'dates', type: 'array' },
      { name: 'note', type: 'string' },
    ];

    it.each([
      ['JSON', '["2026-12-02","2026-12-03"]'],
      ['a bracketed list', '[2026-12-02, 2026-12-03]'],
      ['a comma-separated list', '2026-12-02,2026-12-03'],
      ['a comma-separated list with spaces', ' 2026-12-02 , 2026-12-03 '],
    ])('parses the value given as %s', (_label, value) => {
      // Act
      const { input } = collectInput({ parameters: [param('dates', value, 'array')] }, declared);

      // Assess
      expect(input.dates).toStrictEqual(['2026-12-02', '2026-12-03']);
    });

    it('parses an array value that arrives as a real array', () => {
      // Act
      const { input } = collectInput({ requestBody: bodyOf([param('dates', ['a', 'b'], 'array')]) }, declared);

      // Assess
      expect(input.dates).toStrictEqual(['a', 'b']);
    });

    it('treats the same list spelled two ways as one value', () => {
      // Prepare
      const event = {
        parameters: [param('dates', '["a","b"]', 'array')],
        requestBody: bodyOf([param('dates', 'a,b', 'array')]),
      };

      // Act
      const { input } = collectInput(event, declared);

      // Assess
      expect(input.dates).toStrictEqual(['a', 'b']);
    });

    it('rejects two different lists for the same name', () => {
      // Prepare
      const event = { parameters: [param('dates', 'a,b', 'array'), param('dates', 'a,c', 'array')] };

      // Act
      const error = thrown(() => collectInput(event, declared));

      // Assess
      expect((error as AppError).field).toBe('dates');
    });

    it('leaves a comma in a string parameter alone', () => {
      // Act
      const { input } = collectInput({ parameters: [param('note', 'a,b')] }, declared);

      // Assess
      expect(input.note).toBe('a,b');
    });
  });
});

describe('parseArray', () => {
  it.each([
    ['a JSON array of strings', '["a","b"]', ['a', 'b']],
    ['a JSON array keeping its element types', '[1, true, null, "x"]', [1, true, null, 'x']],
    ['a JSON array with nested arrays', '[["a"],["b"]]', [['a'], ['b']]],
    ['a Java-style list', '[a, b]', ['a', 'b']],
    ['a Java-style list with padding', '  [ a ,b ]  ', ['a', 'b']],
    ['a Java-style list without the closing bracket', '[a, b', ['a', 'b']],
    ['a comma-separated list', 'a,b', ['a', 'b']],
    ['a single value', 'a', ['a']],
    ['an empty string', '', []],
    ['only spaces', '   ', []],
    ['an empty JSON array', '[]', []],
    ['an empty bracketed list with spaces', '[ ]', []],
    ['times with spaces inside', '[10:00 AM, 01:30 PM]', ['10:00 AM', '01:30 PM']],
  ])('parses %s', (_label, value, expected) => {
    // Act
    const result = parseArray(value);

    // Assess
    expect(result).toStrictEqual(expected);
  });
});
