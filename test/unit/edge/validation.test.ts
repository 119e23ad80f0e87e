import type { ErrorObject, ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { actionCatalog } from '../../../generated/catalog/actions.js';
import * as information from '../../../generated/validators/information.cjs';
import * as notes from '../../../generated/validators/notes.cjs';
import * as scheduling from '../../../generated/validators/scheduling.cjs';
import { AppError } from '../../../src/domain/errors.js';
import { describeError, type FieldDescription, toValidationError } from '../../../src/edge/validation.js';

type Group = keyof typeof actionCatalog;

function fieldsOf(group: Group, operationId: string): readonly FieldDescription[] {
  const operation = actionCatalog[group].find((o) => o.operationId === operationId);
  if (operation === undefined) throw new Error(`no operation ${operationId} in ${group}`);
  return operation.parameters;
}

function descriptionOf(group: Group, operationId: string, field: string): string {
  const found = fieldsOf(group, operationId).find((f) => f.name === field);
  if (found === undefined) throw new Error(`no field ${field} in ${operationId}`);
  return found.description ?? '';
}

/** Runs a generated validator on `input` and returns its (real) Ajv errors; fails if the input is valid. */
function errorsOf(validate: ValidateFunction, input: Record<string, unknown>): ErrorObject[] {
  const valid = validate(input);
  if (valid || !validate.errors || validate.errors.length === 0) {
    throw new Error(`expected ${JSON.stringify(input)} to be invalid`);
  }
  return validate.errors;
}

function firstError(validate: ValidateFunction, input: Record<string, unknown>): ErrorObject {
  const [first] = errorsOf(validate, input);
  if (first === undefined) throw new Error('no error');
  return first;
}

/** Validates like the edge does and returns the resulting AppError. */
function validationErrorOf(
  validate: ValidateFunction,
  group: Group,
  operationId: string,
  input: Record<string, unknown>,
): AppError {
  const errors = errorsOf(validate, input);
  return toValidationError(errors, fieldsOf(group, operationId), input);
}

/** True when `text` holds half of a surrogate pair (a character cut in two). */
const hasLoneSurrogate = (text: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

const validConfirm = { project_id: '12347', date: '2026-12-02', time: '10:00 AM' };

describe('describeError', () => {
  it('names a missing required field and adds its description from the spec', () => {
    // Prepare
    const input = { date: '2026-12-02', time: '10:00 AM' };
    const error = firstError(scheduling.confirm_appointment, input);

    // Act
    const result = describeError(error, fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(result.field).toBe('project_id');
    expect(result.message).toBe(
      `project_id is required. ${descriptionOf('scheduling', 'confirm_appointment', 'project_id')}`,
    );
  });

  it('still names a missing field that has no description', () => {
    // Prepare
    const input = { date: '2026-12-02', time: '10:00 AM' };
    const error = firstError(scheduling.confirm_appointment, input);

    // Act
    const result = describeError(error, [], input);

    // Assess
    expect(result).toStrictEqual({ field: 'project_id', message: 'project_id is required.' });
  });

  it.each([
    ['an impossible day', '2026-02-30'],
    ['a US-style date', '12/02/2026'],
    ['a date with a time', '2026-12-02T10:00:00'],
    ['month 13', '2026-13-01'],
  ])('explains the expected date format for %s and quotes the value', (_label, date) => {
    // Prepare
    const input = { ...validConfirm, date };
    const error = firstError(scheduling.confirm_appointment, input);

    // Act
    const result = describeError(error, fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(error.keyword).toBe('format');
    expect(result.field).toBe('date');
    expect(result.message).toBe(
      `date must be a real calendar date written YYYY-MM-DD, for example 2026-12-02; got "${date}".`,
    );
  });

  it.each([
    ['a 24-hour time without AM/PM', '10:00'],
    ['hour 25', '25:00 PM'],
    ['a single-digit hour', '9:00 AM'],
    ['lower-case am', '10:00 am'],
  ])('rejects %s as a time in the wrong format and repeats the spec description', (_label, time) => {
    // Prepare
    const input = { ...validConfirm, time };
    const error = firstError(scheduling.confirm_appointment, input);

    // Act
    const result = describeError(error, fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(error.keyword).toBe('pattern');
    expect(result.field).toBe('time');
    expect(result.message).toBe(
      `time is not in the expected format; got "${time}". ${descriptionOf('scheduling', 'confirm_appointment', 'time')}`,
    );
  });

  it('says an empty note must not be empty', () => {
    // Prepare
    const input = { project_id: '12347', note_text: '' };
    const error = firstError(notes.add_note, input);

    // Act
    const result = describeError(error, fieldsOf('notes', 'add_note'), input);

    // Assess
    expect(result).toStrictEqual({ field: 'note_text', message: 'note_text must not be empty.' });
  });

  it('gives the limit and the actual length of a 1001-character note', () => {
    // Prepare
    const input = { project_id: '12347', note_text: 'n'.repeat(1001) };
    const error = firstError(notes.add_note, input);

    // Act
    const result = describeError(error, fieldsOf('notes', 'add_note'), input);

    // Assess
    expect(result).toStrictEqual({
      field: 'note_text',
      message: 'note_text is too long: at most 1000 characters are allowed (got 1001).',
    });
  });

  it('counts the length of a note in characters, not UTF-16 units', () => {
    // Prepare
    const input = { project_id: '12347', note_text: '😀'.repeat(1001) };
    const error = firstError(notes.add_note, input);

    // Act
    const result = describeError(error, fieldsOf('notes', 'add_note'), input);

    // Assess
    expect(result.message).toContain('(got 1001)');
  });

  it('accepts a note of exactly 1000 characters', () => {
    // Act
    const valid = notes.add_note({ project_id: '12347', note_text: 'n'.repeat(1000) });

    // Assess
    expect(valid).toBe(true);
  });

  it('says what type days must have when it is not a number', () => {
    // Prepare
    const input: Record<string, unknown> = { location: 'Tampa', days: 'abc' };
    const error = firstError(information.get_weather, input);

    // Act
    const result = describeError(error, fieldsOf('information', 'get_weather'), input);

    // Assess
    expect(result).toStrictEqual({ field: 'days', message: 'days must be an integer; got "abc".' });
  });

  it('gives the maximum when days is too large', () => {
    // Prepare
    const input: Record<string, unknown> = { location: 'Tampa', days: '99' };
    const error = firstError(information.get_weather, input);

    // Act
    const result = describeError(error, fieldsOf('information', 'get_weather'), input);

    // Assess
    expect(result).toStrictEqual({ field: 'days', message: 'days must be at most 16; got "99".' });
  });

  it('gives the minimum when days is zero', () => {
    // Prepare
    const input: Record<string, unknown> = { location: 'Tampa', days: '0' };
    const error = firstError(information.get_weather, input);

    // Act
    const result = describeError(error, fieldsOf('information', 'get_weather'), input);

    // Assess
    expect(result).toStrictEqual({ field: 'days', message: 'days must be at least 1; got "0".' });
  });

  it('says a too-short location must be at least two characters long', () => {
    // Prepare
    const input: Record<string, unknown> = { location: 'T' };
    const error = firstError(information.get_weather, input);

    // Act
    const result = describeError(error, fieldsOf('information', 'get_weather'), input);

    // Assess
    expect(result).toStrictEqual({ field: 'location', message: 'location must be at least 2 characters long.' });
  });

  it('shows at most 40 characters of a huge bad value, followed by an ellipsis', () => {
    // Prepare
    const date = `2026-12-02${'x'.repeat(10_000)}`;
    const input = { ...validConfirm, date };
    const error = firstError(scheduling.confirm_appointment, input);

    // Act
    const result = describeError(error, fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(result.message).toContain(`got "${date.slice(0, 40)}…".`);
    expect(result.message).not.toContain(date.slice(0, 41));
    expect(result.message.length).toBeLessThan(200);
  });

  it('shows a bad value of exactly 40 characters whole, without an ellipsis', () => {
    // Prepare
    const time = 'x'.repeat(40);
    const input = { ...validConfirm, time };
    const error = firstError(scheduling.confirm_appointment, input);

    // Act
    const result = describeError(error, fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(result.message).toContain(`got "${time}".`);
    expect(result.message).not.toContain('…');
  });

  it('replaces control characters in the quoted value with spaces', () => {
    // Prepare
    const input = { project_id: '12347', note_text: 'line one\u0001\u001b[31m' };
    const error = firstError(notes.add_note, input);

    // Act
    const result = describeError(error, fieldsOf('notes', 'add_note'), input);

    // Assess
    expect(error.keyword).toBe('pattern');
    expect(result.message).toContain('got "line one  [31m".');
    expect(result.message).not.toMatch(/\p{Cc}/u);
  });

  it('never cuts a character in half when shortening a long bad value', () => {
    // Prepare: one ASCII letter, then emoji, so the 40th UTF-16 unit is half an emoji.
    const time = `a${'😀'.repeat(30)}`;
    const input = { ...validConfirm, time };
    const error = firstError(scheduling.confirm_appointment, input);

    // Act
    const result = describeError(error, fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(result.message).toContain('…');
    expect(hasLoneSurrogate(result.message)).toBe(false);
  });

  it('uses the validator message for a keyword it has no sentence for', () => {
    // Prepare
    const error: ErrorObject = {
      instancePath: '/project_id',
      schemaPath: '#/properties/project_id/const',
      keyword: 'const',
      params: { allowedValue: 'a' },
      message: 'must be equal to constant',
    };

    // Act
    const result = describeError(error, fieldsOf('scheduling', 'cancel_appointment'), { project_id: 'b' });

    // Assess
    expect(result).toStrictEqual({
      field: 'project_id',
      message: `project_id must be equal to constant. ${descriptionOf('scheduling', 'cancel_appointment', 'project_id')}`,
    });
  });

  it('calls an error about the whole input "input"', () => {
    // Prepare
    const error: ErrorObject = {
      instancePath: '',
      schemaPath: '#/type',
      keyword: 'type',
      params: { type: 'object' },
      message: 'must be object',
    };

    // Act
    const result = describeError(error, [], 'text');

    // Assess
    expect(result.field).toBe('input');
    expect(result.message).toMatch(/^input must be an object/);
  });
});

describe('toValidationError', () => {
  it('returns a 400 validation_error naming the first invalid field', () => {
    // Act
    const error = validationErrorOf(scheduling.confirm_appointment, 'scheduling', 'confirm_appointment', {
      project_id: '12347',
      date: '12/02/2026',
      time: '10:00',
    });

    // Assess
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(400);
    expect(error.errorType).toBe('validation_error');
    expect(error.field).toBe('date');
    expect(error.message).toMatch(/^date must be a real calendar date/);
    expect(error.message).toContain('time is not in the expected format; got "10:00".');
  });

  it('names a missing field first when a required field is absent and another is malformed', () => {
    // Act
    const error = validationErrorOf(scheduling.confirm_appointment, 'scheduling', 'confirm_appointment', {
      date: '2026-12-02',
      time: '25:00 PM',
    });

    // Assess
    expect(error.field).toBe('project_id');
    expect(error.message).toMatch(/^project_id is required\./);
    expect(error.message).toContain('"25:00 PM"');
  });

  it('describes each field once even when a field has several errors', () => {
    // Prepare: a synthetic second error on the same field.
    const input = { ...validConfirm, date: '2026-02-30' };
    const real = errorsOf(scheduling.confirm_appointment, input);
    const duplicate: ErrorObject = { ...real[0], keyword: 'pattern', params: {} } as ErrorObject;

    // Act
    const error = toValidationError([...real, duplicate], fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(error.field).toBe('date');
    expect(error.message).toBe(
      'date must be a real calendar date written YYYY-MM-DD, for example 2026-12-02; got "2026-02-30".',
    );
  });

  it('describes at most three fields', () => {
    // Prepare
    const input = {};
    const real = errorsOf(scheduling.confirm_appointment, input);
    const extra: ErrorObject = {
      instancePath: '/extra',
      schemaPath: '#/properties/extra/type',
      keyword: 'type',
      params: { type: 'string' },
      message: 'must be string',
    };

    // Act
    const error = toValidationError([...real, extra], fieldsOf('scheduling', 'confirm_appointment'), input);

    // Assess
    expect(error.field).toBe('project_id');
    expect(error.message).toContain('project_id is required.');
    expect(error.message).toContain('date is required.');
    expect(error.message).toContain('time is required.');
    expect(error.message).not.toContain('extra');
  });

  it('keeps a huge bad value out of the message', () => {
    // Prepare
    const project_id = 'z'.repeat(100_000);

    // Act
    const error = validationErrorOf(scheduling.get_available_dates, 'scheduling', 'get_available_dates', {
      project_id,
    });

    // Assess
    expect(error.field).toBe('project_id');
    expect(error.message).toContain(`got "${'z'.repeat(40)}…".`);
    expect(error.message).not.toContain('z'.repeat(41));
  });

  it('names days for information get_weather given "abc"', () => {
    // Act
    const error = validationErrorOf(information.get_weather, 'information', 'get_weather', { days: 'abc' });

    // Assess
    expect(error.field).toBe('days');
    expect(error.message).toBe('days must be an integer; got "abc".');
  });
});
