/**
 * The only place that builds the Bedrock envelope, and the body cap. The agent pastes the body
 * into the model's context, so it must stay small (MAX_RESPONSE_BYTES, 25 KB): lists are cut with an
 * explicit `truncated`/`total` marker, over-long strings are shortened visibly, and a body that
 * still does not fit becomes an error the agent can explain.
 */
import { errorBody, errorCatalog } from '../domain/errors.js';
import { headOf } from '../domain/text.js';
import type { BedrockActionResponse, EventHeader } from './event.js';

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
const stringMarker = '… [truncated]';

function fits(value: unknown, maxBytes: number): boolean {
  return byteLength(JSON.stringify(value)) <= maxBytes;
}

/** Keeps as many leading items of the largest top-level list as fit. */
function cutLargestList(body: Record<string, unknown>, maxBytes: number): Record<string, unknown> | undefined {
  const lists = Object.entries(body).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]));
  if (lists.length === 0) return undefined;
  const [key, items] = lists.reduce((a, b) =>
    byteLength(JSON.stringify(b[1])) > byteLength(JSON.stringify(a[1])) ? b : a,
  );
  const total = typeof body.total === 'number' ? body.total : items.length;
  const withItems = (n: number) => ({ ...body, [key]: items.slice(0, n), total, truncated: true });
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(withItems(mid), maxBytes)) low = mid;
    else high = mid - 1;
  }
  return withItems(low);
}

/** Shortens every string longer than `limit` characters. */
function shortenStrings(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return value.length > limit ? `${headOf(value, limit)}${stringMarker}` : value;
  if (Array.isArray(value)) return value.map((v) => shortenStrings(v, limit));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shortenStrings(v, limit)]));
  }
  return value;
}

export interface CappedBody {
  status: number;
  json: string;
}

export function capBody(status: number, body: unknown, maxBytes: number): CappedBody {
  const json = JSON.stringify(body);
  if (byteLength(json) <= maxBytes) return { status, json };
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const cut = cutLargestList(record, maxBytes);
    if (cut && fits(cut, maxBytes)) return { status, json: JSON.stringify(cut) };
    // A list may be small and one string huge: shorten strings before giving up list items.
    for (const candidate of cut ? [record, cut] : [record]) {
      for (const limit of [2000, 500, 100]) {
        const short = { ...(shortenStrings(candidate, limit) as Record<string, unknown>), truncated: true };
        if (fits(short, maxBytes)) return { status, json: JSON.stringify(short) };
      }
    }
  }
  return { status: errorCatalog.response_too_large.status, json: JSON.stringify(errorBody('response_too_large')) };
}

export function buildEnvelope(
  header: EventHeader,
  status: number,
  body: unknown,
  maxBytes: number,
): BedrockActionResponse {
  const capped = capBody(status, body, maxBytes);
  return {
    messageVersion: '1.0',
    response: {
      actionGroup: header.actionGroup,
      apiPath: header.apiPath,
      httpMethod: header.httpMethod,
      httpStatusCode: capped.status,
      responseBody: { 'application/json': { body: capped.json } },
    },
    sessionAttributes: header.sessionAttributes,
    promptSessionAttributes: header.promptSessionAttributes,
  };
}
