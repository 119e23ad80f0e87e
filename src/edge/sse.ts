/**
 * Server-Sent Events read from bytes, as the chat API's streamed routes send them
 * (`event: <name>`, `data: <JSON>`, a blank line). EventSource cannot send a POST with headers,
 * so the chat page and `npm run chat` read the response body themselves, and the chat backend
 * reads the agent runtime's answers the same way; this is the one parser all three use (it needs
 * nothing beyond what browsers and Node both have). It follows the WHATWG "event stream interpretation" rules that matter here: lines end
 * in LF, CRLF or CR; `data` lines of one event are joined with LF; one space after the colon is
 * dropped; comments (`:`) and `id`/`retry` are ignored; an event without data is not dispatched;
 * an event cut off before its blank line is dropped.
 */

export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  data: string;
}

export class SseParser {
  // stream: true keeps a UTF-8 sequence split across two chunks whole.
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private event = '';
  private data: string[] = [];
  /** A CR ended the last chunk: an LF at the start of the next one belongs to it. */
  private pendingCr = false;

  /** The events completed by this chunk (none when it ends mid-event). */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      // A CR at the very end may be the first half of a CRLF still on its way.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) this.pendingCr = true;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /**
   * The end of the stream. Whatever was not closed by a blank line is dropped, as the standard
   * says: a half-received event is not an event.
   */
  end(): SseEvent[] {
    this.decoder.decode();
    this.buffer = '';
    this.pendingCr = false;
    this.event = '';
    this.data = [];
    return [];
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      const event = this.data.length ? { event: this.event || 'message', data: this.data.join('\n') } : undefined;
      this.event = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }
}

/** Every event of a response body, as it arrives. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const parser = new SseParser();
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(value);
    }
    finished = true;
    yield* parser.end();
  } finally {
    // A consumer that stops early (it gave up, or threw) closes the connection instead of
    // leaving the rest of the answer to arrive unread.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
