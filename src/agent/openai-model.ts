/**
 * The model for `AGENT_PROVIDER=openai`: Strands' own `OpenAIModel` on the chat-completions API,
 * made to work with any server that speaks it — OpenAI, Ollama, llama.cpp, vLLM, LM Studio, a
 * test double. The SDK (1.19.0) only works with a server that streams exactly like OpenAI does;
 * two fixes, both at its extension points, make it accept what real servers send:
 *
 * - The openai client gets a `fetch` that rewrites every successful answer into one well-formed
 *   `chat.completion.chunk` event stream before the SDK reads it. A plain JSON `chat.completion`
 *   (a server that ignores `stream: true`; the SDK alone fails with "Stream ended without
 *   completing a message") becomes the equivalent stream. A real event stream is passed on event
 *   by event as it arrives — text is never held back — with its quirks straightened out: tool-call
 *   deltas without `index` or `id`, several calls sharing an index, arguments sent as an object,
 *   a missing `role`, `finish_reason: "stop"` (or none at all) on a message with tool calls,
 *   `usage` on a choice chunk, no `[DONE]`, events separated by single newlines. Tool calls are
 *   collected and handed on complete, one after another, when the message finishes: the agent
 *   cannot run them earlier anyway, and interleaved deltas cannot be attributed otherwise. What
 *   cannot be used (no message at all, an event that is not JSON, a tool call without a name, a
 *   stream that stalls for `timeoutMs`) fails with a sentence saying so.
 * - A `Model` subclass closes each content block before the next one starts. The SDK's chat
 *   adapter opens a block per tool call without closing the previous one, so its aggregation
 *   kept only the last of several tool calls and dropped text streamed before a tool call.
 *
 * The agent loop, tool execution and message formatting stay the SDK's.
 */
import { randomUUID } from 'node:crypto';
import type { Message, Model, ModelStreamEvent, StreamOptions } from '@strands-agents/sdk';
import { OpenAIModel } from '@strands-agents/sdk/models/openai';
import { APIConnectionTimeoutError } from 'openai/error';

export interface OpenAiModelOptions {
  /** The server's chat-completions base, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  modelId: string;
  /** Sent as the bearer token; local servers need none (a placeholder is sent then). */
  apiKey?: string;
  /** Per attempt: until the answer starts, and the longest silence while it streams. */
  timeoutMs: number;
  /** Retries of the openai client (429, 5xx, connection failures); 0 for none. */
  maxRetries: number;
  maxTokens?: number;
  temperature?: number;
  /** The fetch underneath (tests, proxies); the global fetch when absent. */
  fetch?: typeof fetch;
}

/** The openai client refuses an empty key, and local servers ignore the header. */
const placeholderApiKey = 'not-needed';

export function createOpenAiModel(options: OpenAiModelOptions): Model {
  return new SequencedOpenAIModel({
    api: 'chat',
    modelId: options.modelId,
    // Always explicit, so the client never falls back to the process's OPENAI_API_KEY by itself.
    apiKey: options.apiKey || placeholderApiKey,
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
    clientConfig: {
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      // Not read from OPENAI_ORG_ID / OPENAI_PROJECT_ID: no stray headers to another server.
      organization: null,
      project: null,
      fetch: compatibleFetch(options.fetch, options.timeoutMs),
    },
  });
}

/** Closes the open content block before the next starts (and before the message stops). */
class SequencedOpenAIModel extends OpenAIModel {
  override async *stream(messages: Message[], options?: StreamOptions): AsyncIterable<ModelStreamEvent> {
    let open = false;
    for await (const event of super.stream(messages, options)) {
      if (event.type === 'modelContentBlockStartEvent') {
        if (open) yield { type: 'modelContentBlockStopEvent' };
        open = true;
      } else if (event.type === 'modelContentBlockStopEvent') {
        // The adapter sends one stop per block at finish_reason; the blocks are closed already.
        if (!open) continue;
        open = false;
      } else if (event.type === 'modelMessageStopEvent' && open) {
        yield { type: 'modelContentBlockStopEvent' };
        open = false;
      }
      yield event;
    }
  }
}

/** The answer could not be used; the message says why (for logs: it is never shown to the customer). */
class ModelAnswerError extends Error {
  override name = 'ModelAnswerError';
}

/** A fetch whose successful streamed chat-completions answers come back as a well-formed event stream. */
function compatibleFetch(inner: typeof fetch | undefined, idleTimeoutMs: number): typeof fetch {
  return async (input, init) => {
    const response = await (inner ?? globalThis.fetch)(input, init);
    if (!response.ok || !response.body || !requestsStream(init?.body)) return response;
    const headers = new Headers(response.headers);
    headers.set('content-type', 'text/event-stream; charset=utf-8');
    headers.delete('content-length');
    headers.delete('content-encoding');
    return new Response(translatedBody(response.body, idleTimeoutMs), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}

function requestsStream(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    return (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

/** Reads the upstream body only as fast as the openai client reads ours, so nothing is buffered ahead. */
function translatedBody(upstream: ReadableStream<Uint8Array>, idleTimeoutMs: number): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const translator = new AnswerTranslator();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const { value, done } = await readWithin(reader, idleTimeoutMs);
          const out = done
            ? translator.end(decoder.decode())
            : translator.push(decoder.decode(value, { stream: true }));
          if (out) controller.enqueue(encoder.encode(out));
          if (done) return controller.close();
          if (out) return;
        }
      } catch (error) {
        reader.cancel().catch(() => undefined);
        controller.error(error);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> {
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new APIConnectionTimeoutError({ message: `The model server sent nothing for ${ms} ms.` })),
      ms,
    );
  });
  try {
    return await Promise.race([reader.read(), silence]);
  } finally {
    clearTimeout(timer);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function sseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/**
 * Text in, event-stream text out. The first non-blank character decides: `{` or `[` is a JSON
 * answer (read whole, then translated), anything else is read as an event stream.
 */
class AnswerTranslator {
  private mode: 'sniff' | 'json' | 'sse' = 'sniff';
  private pending = '';
  private readonly events = new SseDecoder();
  private readonly chunks = new ChunkNormalizer();
  private sawEvent = false;
  private finished = false;

  push(text: string): string {
    if (this.mode === 'sniff') {
      this.pending += text;
      const start = this.pending.replace(/^\uFEFF/, '').trimStart();
      if (start === '') return '';
      this.mode = start.startsWith('{') || start.startsWith('[') ? 'json' : 'sse';
      text = this.pending;
      this.pending = '';
    }
    if (this.mode === 'json') {
      this.pending += text;
      return '';
    }
    return this.events
      .push(text)
      .map((data) => this.onEvent(data))
      .join('');
  }

  end(text: string): string {
    let out = this.push(text);
    if (this.mode === 'sniff') throw new ModelAnswerError('The model server answered with an empty body.');
    if (this.mode === 'json') return this.fromJson(this.pending);
    out += this.events
      .end()
      .map((data) => this.onEvent(data))
      .join('');
    if (this.finished) return out;
    if (!this.sawEvent) {
      throw new ModelAnswerError('The model server answered with neither JSON nor a server-sent event stream.');
    }
    return out + this.done();
  }

  private onEvent({ event, data }: SseData): string {
    if (this.finished) return '';
    this.sawEvent = true;
    const trimmed = data.trim();
    if (trimmed === '') return '';
    if (trimmed === '[DONE]') return this.done();
    return parseJsonValues(trimmed, 'an event that is not JSON')
      .map((value) => this.onValue(value, event === 'error'))
      .join('');
  }

  private fromJson(text: string): string {
    const out = parseJsonValues(text, 'a body that is not JSON')
      .map((value) => this.onValue(value, false))
      .join('');
    return this.finished ? out : out + this.done();
  }

  /** One chunk or completion; an error object is passed on as such (the openai client throws it). */
  private onValue(value: unknown, isError: boolean): string {
    if (this.finished) return '';
    if (!isObject(value)) throw new ModelAnswerError('The model server sent JSON that is not an object.');
    // As the openai client reads it: a chunk with `"error": null` is no error.
    if (isError || (value.error !== undefined && value.error !== null && value.error !== false)) {
      this.finished = true;
      return sseEvent({ error: value.error ?? value });
    }
    return this.chunks.push(value).map(sseEvent).join('');
  }

  private done(): string {
    this.finished = true;
    return `${this.chunks.end().map(sseEvent).join('')}data: [DONE]\n\n`;
  }
}

/** A JSON body, or one JSON value per line (newline-delimited chunks); arrays are flattened. */
function parseJsonValues(text: string, what: string): unknown[] {
  const flatten = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  try {
    return flatten(JSON.parse(text));
  } catch {
    try {
      return text
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .flatMap((line) => flatten(JSON.parse(line)));
    } catch {
      throw new ModelAnswerError(`The model server sent ${what}.`);
    }
  }
}

interface SseData {
  event: string;
  data: string;
}

/**
 * Server-sent events (CRLF, LF or CR line ends; `data:` with or without a space; comments;
 * multi-line data). Liberal: a new `data:` line after data that is already a complete JSON value
 * ends the previous event, for servers that separate events with a single newline.
 */
class SseDecoder {
  private buffer = '';
  private data: string[] = [];
  private event = '';

  push(text: string): SseData[] {
    this.buffer += text;
    const events: SseData[] = [];
    const lineEnd = /\r\n|\n|\r(?!$)/g;
    let start = 0;
    for (let match = lineEnd.exec(this.buffer); match; match = lineEnd.exec(this.buffer)) {
      this.line(this.buffer.slice(start, match.index), events);
      start = match.index + match[0].length;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  end(): SseData[] {
    const events = this.push('\n');
    this.dispatch(events);
    return events;
  }

  private line(line: string, events: SseData[]): void {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field !== 'data' && field !== 'event') return;
    if (this.data.length > 0 && isCompleteJson(this.data.join('\n'))) this.dispatch(events);
    if (field === 'event') this.event = value;
    else this.data.push(value);
  }

  private dispatch(events: SseData[]): void {
    if (this.data.length > 0) events.push({ event: this.event, data: this.data.join('\n') });
    this.data = [];
    this.event = '';
  }
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return text.trim() === '[DONE]';
  }
}

interface ToolCall {
  id?: string;
  name?: string;
  arguments: string;
}

/**
 * Chunks (or a whole completion, whose `message` is read like a delta) in, the chunks the SDK's
 * adapter reads correctly out: the role on the first, text as it comes, all tool calls complete
 * in one chunk at the end, then a finish reason that matches the content.
 */
class ChunkNormalizer {
  private readonly calls: ToolCall[] = [];
  private readonly byIndex = new Map<number, ToolCall>();
  private readonly byId = new Map<string, ToolCall>();
  private last: ToolCall | undefined;
  private base: Json | undefined;
  private roleSent = false;
  private sawChoice = false;
  private finished = false;

  push(chunk: Json): Json[] {
    this.base ??= {
      id: nonEmpty(chunk.id) ?? 'chatcmpl-translated',
      object: 'chat.completion.chunk',
      created: typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000),
      model: nonEmpty(chunk.model) ?? '',
    };
    const out: Json[] = [];
    const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(isObject) : [];
    const choice = choices.find((c) => (c.index ?? 0) === 0) ?? choices[0];
    if (choice && !this.finished) {
      this.sawChoice = true;
      const whole = !isObject(choice.delta) && isObject(choice.message);
      const delta = (whole ? choice.message : choice.delta) as Json | undefined;
      if (delta) {
        for (const call of toolCallsOf(delta)) this.collect(call, whole);
        const text = textOf(delta.content);
        if (text !== '') out.push(this.chunk({ content: text }, null));
      }
      if (nonEmpty(choice.finish_reason)) out.push(...this.finish(choice.finish_reason as string));
    }
    if (isObject(chunk.usage)) out.push({ ...this.base, choices: [], usage: chunk.usage });
    return out;
  }

  /** At `[DONE]` or the end of the body: finishes a message that had no finish reason. */
  end(): Json[] {
    if (!this.sawChoice) throw new ModelAnswerError('The model server answered without a message.');
    return this.finish(null);
  }

  private finish(reason: string | null): Json[] {
    if (this.finished) return [];
    this.finished = true;
    const out: Json[] = [];
    if (this.calls.length > 0) {
      const ids = new Set<string>();
      out.push(this.chunk({ tool_calls: this.calls.map((call, index) => completeCall(call, index, ids)) }, null));
    }
    const kept = reason === 'length' || reason === 'content_filter';
    out.push(this.chunk({}, kept ? reason : this.calls.length > 0 ? 'tool_calls' : 'stop'));
    return out;
  }

  private chunk(delta: Json, finishReason: string | null): Json {
    const withRole = this.roleSent ? delta : { role: 'assistant', ...delta };
    this.roleSent = true;
    return { ...this.base, choices: [{ index: 0, delta: withRole, finish_reason: finishReason }] };
  }

  /**
   * Which call a delta continues: the one with its id, else the one at its index (unless that one
   * has another id: a new call reusing the index), else — with neither — the last one, unless the
   * delta names a function and the last one has its name already. Every entry of a whole message
   * is its own call.
   */
  private collect(raw: Json, whole: boolean): void {
    const fn = isObject(raw.function) ? raw.function : {};
    const id = nonEmpty(raw.id);
    const name = nonEmpty(fn.name);
    const index = typeof raw.index === 'number' && !whole ? raw.index : undefined;
    let call = whole || id === undefined ? undefined : this.byId.get(id);
    if (!call && index !== undefined) call = this.byIndex.get(index);
    if (call?.id !== undefined && id !== undefined && call.id !== id) call = undefined;
    if (!call && !whole && index === undefined && id === undefined && !(name && this.last?.name)) call = this.last;
    if (!call) {
      call = { arguments: '' };
      this.calls.push(call);
    }
    if (index !== undefined) this.byIndex.set(index, call);
    if (id !== undefined) {
      call.id ??= id;
      this.byId.set(id, call);
    }
    if (name !== undefined) call.name ??= name;
    if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
    else if (fn.arguments !== undefined && fn.arguments !== null) call.arguments = JSON.stringify(fn.arguments);
    this.last = call;
  }
}

/** `tool_calls` (an array, or a single object), and the legacy `function_call`. */
function toolCallsOf(delta: Json): Json[] {
  const calls = Array.isArray(delta.tool_calls) ? delta.tool_calls : [delta.tool_calls];
  const legacy = isObject(delta.function_call) ? [{ function: delta.function_call }] : [];
  return [...calls.filter(isObject), ...legacy];
}

/** A string, or the text of content parts; `null` and anything else is no text. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

/** The call as the SDK reads it; a missing or repeated id is replaced by a fresh one (results are matched by id). */
function completeCall(call: ToolCall, index: number, ids: Set<string>): Json {
  if (call.name === undefined) throw new ModelAnswerError('The model server sent a tool call without a function name.');
  const id = call.id === undefined || ids.has(call.id) ? `call_${randomUUID().replaceAll('-', '')}` : call.id;
  ids.add(id);
  return {
    index,
    id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  };
}
