import { describe, expect, it } from 'vitest';
import { isRecord, readHeader } from '../../../src/bedrock/event.js';

const emptyHeader = {
  actionGroup: '',
  apiPath: '',
  httpMethod: '',
  sessionId: '',
  sessionAttributes: {},
  promptSessionAttributes: {},
};

describe('readHeader', () => {
  it('reads the fields of a well-formed event', () => {
    // Prepare
    const event = {
      messageVersion: '1.0',
      actionGroup: 'scheduling',
      apiPath: '/list-projects',
      httpMethod: 'GET',
      sessionId: 'abc-123',
      sessionAttributes: { a: '1' },
      promptSessionAttributes: { b: '2' },
      parameters: [],
    };

    // Act
    const header = readHeader(event);

    // Assess
    expect(header).toStrictEqual({
      actionGroup: 'scheduling',
      apiPath: '/list-projects',
      httpMethod: 'GET',
      sessionId: 'abc-123',
      sessionAttributes: { a: '1' },
      promptSessionAttributes: { b: '2' },
    });
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', [{ actionGroup: 'scheduling' }]],
    ['a number', 42],
    ['a string', '{"actionGroup":"scheduling"}'],
    ['a boolean', true],
    ['an empty object', {}],
  ])('returns an empty header for %s', (_label, event) => {
    // Act
    const header = readHeader(event);

    // Assess
    expect(header).toStrictEqual(emptyHeader);
  });

  it('replaces header fields that are not strings with empty strings', () => {
    // Prepare
    const event = { actionGroup: 7, apiPath: ['/x'], httpMethod: null, sessionId: { id: 'x' } };

    // Act
    const header = readHeader(event);

    // Assess
    expect(header).toStrictEqual(emptyHeader);
  });

  it('drops attributes whose values are not strings and keeps the string ones', () => {
    // Prepare
    const event = {
      sessionAttributes: { keep: 'yes', n: 1, b: true, nil: null, obj: { a: 'b' }, list: ['x'], empty: '' },
      promptSessionAttributes: { also: 'kept', undef: undefined },
    };

    // Act
    const header = readHeader(event);

    // Assess
    expect(header.sessionAttributes).toStrictEqual({ keep: 'yes', empty: '' });
    expect(header.promptSessionAttributes).toStrictEqual({ also: 'kept' });
  });

  it.each([
    ['an array', ['a', 'b']],
    ['a string', 'a=1'],
    ['a number', 3],
    ['null', null],
  ])('returns no attributes when they are %s', (_label, attributes) => {
    // Act
    const header = readHeader({ sessionAttributes: attributes, promptSessionAttributes: attributes });

    // Assess
    expect(header.sessionAttributes).toStrictEqual({});
    expect(header.promptSessionAttributes).toStrictEqual({});
  });

  it('returns attribute maps that are copies, not the event objects', () => {
    // Prepare
    const attributes = { a: '1' };

    // Act
    const header = readHeader({ sessionAttributes: attributes });

    // Assess
    expect(header.sessionAttributes).toStrictEqual(attributes);
    expect(header.sessionAttributes).not.toBe(attributes);
  });
});

describe('isRecord', () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [null, false],
    [[], false],
    ['x', false],
    [1, false],
    [undefined, false],
  ])('says %j is a record: %s', (value, expected) => {
    // Act
    const result = isRecord(value);

    // Assess
    expect(result).toBe(expected);
  });
});
