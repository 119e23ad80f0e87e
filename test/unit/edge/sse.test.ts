/**
 * The one Server-Sent Events parser of the chat page and `npm run chat`: events must come out the
 * same however the network cuts the bytes, with every line ending and field rule the standard sets.
 */
import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent, SseParser } from '../../../src/edge/sse.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `chunks` in order and returns every event, the end of the stream included. */
function parse(...chunks: (string | Uint8Array)[]): SseEvent[] {
  const parser = new SseParser();
  return [...chunks.flatMap((chunk) => parser.push(typeof chunk === 'string' ? bytes(chunk) : chunk)), ...parser.end()];
}

const wire =
  'event: delta\ndata: {"text":"Bonjour, "}\n\n' +
  'event: delta\ndata: {"text":"ça va ? 👍"}\n\n' +
  'event: done\ndata: {"type":"reply","reply":"Bonjour, ça va ? 👍"}\n\n';

const expected: SseEvent[] = [
  { event: 'delta', data: '{"text":"Bonjour, "}' },
  { event: 'delta', data: '{"text":"ça va ? 👍"}' },
  { event: 'done', data: '{"type":"reply","reply":"Bonjour, ça va ? 👍"}' },
];

describe('SseParser', () => {
  it('reads the events of the chat API', () => {
    expect(parse(wire)).toEqual(expected);
  });

  it('gives the same events wherever the bytes are cut, inside a UTF-8 character included', () => {
    const all = bytes(wire);
    for (let cut = 1; cut < all.length; cut++) {
      expect(parse(all.slice(0, cut), all.slice(cut)), `cut at byte ${cut}`).toEqual(expected);
    }
  });

  it('gives the same events when every byte arrives on its own', () => {
    expect(parse(...Array.from(bytes(wire), (b) => Uint8Array.of(b)))).toEqual(expected);
  });

  it('returns each event as soon as its blank line arrives', () => {
    // Prepare
    const parser = new SseParser();

    // Act
    const first = parser.push(bytes('event: delta\ndata: {"text":"a"}\n'));
    const second = parser.push(bytes('\nevent: delta\ndata: {"text":"b"}'));
    const third = parser.push(bytes('\n\n'));

    // Assess
    expect([first, second, third]).toEqual([
      [],
      [{ event: 'delta', data: '{"text":"a"}' }],
      [{ event: 'delta', data: '{"text":"b"}' }],
    ]);
  });

  it.each([
    ['CRLF', '\r\n'],
    ['CR', '\r'],
    ['LF', '\n'],
  ])('accepts %s line endings wherever the text is cut (a CRLF in two included)', (_name, eol) => {
    const text = `event: done${eol}data: {}${eol}${eol}event: error${eol}data: {"status":502}${eol}${eol}`;
    const events = [
      { event: 'done', data: '{}' },
      { event: 'error', data: '{"status":502}' },
    ];
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse(text.slice(0, cut), text.slice(cut)), `cut at ${cut}`).toEqual(events);
    }
  });

  it('joins the data lines of one event with line feeds', () => {
    expect(parse('data: first\ndata:second\ndata:  third\ndata\n\n')).toEqual([
      { event: 'message', data: 'first\nsecond\n third\n' },
    ]);
  });

  it('ignores comments, ids, retry and unknown fields, and does not dispatch an event without data', () => {
    expect(parse(': keep-alive\n\nid: 7\nretry: 100\nfoo: bar\nevent: delta\n\nevent: done\ndata: {}\n\n')).toEqual([
      { event: 'done', data: '{}' },
    ]);
  });

  it('drops an event the stream ends in the middle of', () => {
    expect(parse('event: delta\ndata: {"text":"a"}\n\nevent: done\ndata: {"type":"re')).toEqual([
      { event: 'delta', data: '{"text":"a"}' },
    ]);
  });
});

describe('readSse', () => {
  it('yields the events of a response body as its chunks arrive', async () => {
    // Prepare
    const chunks = ['event: delta\nda', 'ta: {"text":"a"}\n\nevent: done\n', 'data: {}\n\n'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(bytes(chunk));
        controller.close();
      },
    });

    // Act
    const events: SseEvent[] = [];
    for await (const event of readSse(body)) events.push(event);

    // Assess
    expect(events).toEqual([
      { event: 'delta', data: '{"text":"a"}' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('cancels the body when the reader stops early', async () => {
    // Prepare
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('event: done\ndata: {}\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });

    // Act
    for await (const event of readSse(body)) {
      if (event.event === 'done') break;
    }

    // Assess
    expect(cancelled).toBe(true);
  });
});
