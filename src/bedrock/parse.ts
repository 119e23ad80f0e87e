/**
 * Turns Bedrock's `parameters[]` and `requestBody.content["application/json"].properties[]`
 * into one input object for the operation's generated validator. Every value arrives as a
 * string, whatever the spec's type; numbers and arrays are converted here, other scalars by Ajv from the
 * spec's types.
 */
import { validationError } from '../domain/errors.js';
import { typeMessage } from '../edge/validation.js';
import { isRecord } from './event.js';

export interface DeclaredParameter {
  readonly name: string;
  readonly type: string;
}

export interface CollectedInput {
  input: Record<string, unknown>;
  /** Names the spec does not declare for this operation (e.g. a model-invented customer_id). */
  ignored: string[];
}

/**
 * Bedrock leaves arrays as strings: JSON (`["a","b"]`), a Java-style `[a, b]`, or `a,b`
 * (powertools-lambda-typescript#3710).
 */
export function parseArray(value: string): unknown[] {
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      // not JSON: fall through to the bracketed list form
    }
    return splitList(trimmed.slice(1, trimmed.endsWith(']') ? -1 : undefined));
  }
  return splitList(trimmed);
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const numberLiteral = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A number written as JSON writes it, and finite. Ajv's own coercion would turn "Infinity" or
 * "1e400" into Infinity, which its range checks then let through.
 */
export function parseNumber(name: string, type: string, value: string): number {
  const text = value.trim();
  const number = Number(text);
  if (!numberLiteral.test(text) || !Number.isFinite(number)) {
    throw validationError(typeMessage(name, type, value), name);
  }
  return number;
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function entriesOf(list: unknown, where: string): { name: string; value: string | undefined }[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw validationError(`The event's ${where} must be a list of {name, value} entries.`);
  return list.map((entry) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') {
      throw validationError(`Every entry of the event's ${where} needs a name.`);
    }
    return { name: entry.name, value: asText(entry.value) };
  });
}

export function collectInput(event: Record<string, unknown>, declared: readonly DeclaredParameter[]): CollectedInput {
  const body = isRecord(event.requestBody) ? event.requestBody : undefined;
  if (event.requestBody !== undefined && event.requestBody !== null && !body) {
    throw validationError('The event requestBody must be an object.');
  }
  const content = body && isRecord(body.content) ? body.content : undefined;
  const json = content && isRecord(content['application/json']) ? content['application/json'] : undefined;
  const raw = [...entriesOf(event.parameters, 'parameters'), ...entriesOf(json?.properties, 'request body properties')];

  const types = new Map(declared.map((p) => [p.name, p.type]));
  const input: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const { name, value } of raw) {
    const type = types.get(name);
    if (type === undefined) {
      if (!ignored.includes(name)) ignored.push(name);
      continue;
    }
    if (value === undefined) continue;
    const coerced =
      type === 'array'
        ? parseArray(value)
        : type === 'integer' || type === 'number'
          ? parseNumber(name, type, value)
          : value;
    if (name in input && JSON.stringify(input[name]) !== JSON.stringify(coerced)) {
      throw validationError(`${name} was given twice with different values; give it once.`, name);
    }
    input[name] = coerced;
  }
  return { input, ignored };
}
