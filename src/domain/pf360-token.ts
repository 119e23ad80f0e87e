/**
 * The customer's PF360 token, one rule everywhere it enters (the chat API's X-PF360-Token, the
 * local gateway's /dev/sessions, the MCP server): PF360 takes its `authorization` header as the
 * portal gives it, so the token is passed through unchanged — `Bearer eyJ…` as much as a bare
 * `eyJ…`. It must be 1 to 4096 printable ASCII characters, spaces allowed inside, with no line
 * break or control character: those would break (or smuggle) the header it travels in.
 */
export const pf360TokenPattern = /^[\x21-\x7E](?:[\x20-\x7E]{0,4094}[\x21-\x7E])?$/;

export const pf360TokenRule =
  'a PF360 token of 1 to 4096 printable characters, as the portal gives it (for example "Bearer eyJ…"), without line breaks';

export function isPf360Token(value: unknown): value is string {
  return typeof value === 'string' && pf360TokenPattern.test(value);
}
