/** The first `limit` characters of `text`, never splitting a surrogate pair (an emoji cut in half). */
export function headOf(text: string, limit: number): string {
  const end = limit > 0 && /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
  return text.slice(0, end);
}
