import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same values give the same text in any key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What a confirmation is bound to: the tool and its exact input. A change the customer said yes to
 * runs only with an input of the same digest (the agent's paused write, the Gateway's second call).
 * Key order does not count: a model that repeats the same arguments in another order asks for the
 * same change.
 */
export function inputDigest(tool: string, input: unknown): string {
  return createHash('sha256')
    .update(canonicalJson([tool, input]))
    .digest('base64url');
}
