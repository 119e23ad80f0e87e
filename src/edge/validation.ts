/**
 * Ajv errors → sentences, one per field, that the reader can act on: which field, what is
 * expected (from the spec's own description where there is one), never a wall of JSON pointers.
 * The action edge and the chat API both validate with the generated validators and word their
 * failures here.
 */
import type { ErrorObject } from 'ajv';
import { type AppError, validationError } from '../domain/errors.js';
import { headOf } from '../domain/text.js';

export interface FieldDescription {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
}

/** A generated Ajv validator: a predicate that leaves its errors on itself. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const clean = (text ?? '').replace(/[\p{Cc}]/gu, ' ');
  return clean.length > 40 ? `${headOf(clean, 40)}…` : clean;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** The sentence for a value that is not of its declared type. */
export function typeMessage(field: string, type: string, value: unknown): string {
  return `${field} must be ${article(type)}; got "${shown(value)}".`;
}

function fieldOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return String(params.missingProperty);
  if (error.keyword === 'additionalProperties') return String(params.additionalProperty);
  return error.instancePath.replace(/^\//, '').split('/')[0] || 'input';
}

export function describeError(
  error: ErrorObject,
  fields: readonly FieldDescription[],
  input: unknown,
): { field: string; message: string } {
  const field = fieldOf(error);
  const description = fields.find((f) => f.name === field)?.description?.trim() ?? '';
  const value = (input as Record<string, unknown> | undefined)?.[field];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field, message: `${field} is required. ${description}`.trim() };
    case 'additionalProperties':
      return { field, message: `${field} is not a field of this request.` };
    case 'format':
      if (params.format === 'date') {
        return {
          field,
          message: `${field} must be a real calendar date written YYYY-MM-DD, for example 2026-12-02; got "${shown(value)}".`,
        };
      }
      return { field, message: `${field} is not a valid ${String(params.format)}; got "${shown(value)}".` };
    case 'pattern':
      return { field, message: `${field} is not in the expected format; got "${shown(value)}". ${description}`.trim() };
    case 'type':
      return { field, message: typeMessage(field, String(params.type), value) };
    case 'enum':
      return { field, message: `${field} must be one of ${(params.allowedValues as unknown[]).join(', ')}.` };
    case 'minLength':
      return Number(params.limit) <= 1
        ? { field, message: `${field} must not be empty.` }
        : { field, message: `${field} must be at least ${String(params.limit)} characters long.` };
    case 'maxLength':
      return {
        field,
        message: `${field} is too long: at most ${String(params.limit)} characters are allowed (got ${typeof value === 'string' ? [...value].length : '?'}).`,
      };
    case 'minimum':
    case 'maximum':
      return {
        field,
        message: `${field} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}; got "${shown(value)}".`,
      };
    default:
      return { field, message: `${field} ${error.message ?? 'is invalid'}. ${description}`.trim() };
  }
}

/** A validation error naming the first invalid field (and up to two others, briefly). */
export function toValidationError(
  errors: readonly ErrorObject[],
  fields: readonly FieldDescription[],
  input: unknown,
): AppError {
  const byField = new Map<string, string>();
  for (const error of errors) {
    const { field, message } = describeError(error, fields, input);
    if (!byField.has(field)) byField.set(field, message);
  }
  const [first] = byField.keys();
  if (first === undefined) return validationError('The request is invalid.', 'input');
  return validationError([...byField.values()].slice(0, 3).join(' '), first);
}

/** Validates `input`; throws the validation error when it does not pass. */
export function assertValid<T>(
  validate: Validator,
  input: unknown,
  fields: readonly FieldDescription[] = [],
): asserts input is T {
  if (!validate(input)) throw toValidationError(validate.errors ?? [], fields, input);
}
