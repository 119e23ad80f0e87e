/**
 * A short, stable hash of settings as they appear in the template, for resources that must be
 * replaced when (and only when) those settings change: Bedrock agent versions (agents.cjs) and
 * guardrail versions (guardrail.cjs).
 */
const { createHash } = require('node:crypto');

/** JSON with object keys sorted, so the hash does not depend on key order in serverless.yml. */
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The first 16 hex digits of the SHA-256 of the value's canonical JSON. */
function settingsHash(value) {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

module.exports = { canonicalJson, settingsHash };
