/**
 * The chat API as the chat page and `npm run chat` call it: the local sign-in (POST /dev/token)
 * and a turn (POST /chat/stream or /chat/confirm/stream) read as a sequence of events. Every way a
 * turn can fail — a JSON error before the stream opens, an `error` event, a dropped connection,
 * no server at all — comes out as one `error` event carrying a sentence to show, so the two
 * front ends have one place that decides what the customer reads.
 */
import type { components } from '../../generated/types/chat.js';
import { readSse } from '../../src/edge/sse.js';

export type ChatRequest = components['schemas']['ChatRequest'];
export type ConfirmRequest = components['schemas']['ConfirmRequest'];
export type ChatResponse = components['schemas']['ChatResponse'];
export type PendingConfirmation = components['schemas']['PendingConfirmation'];

export interface ApiError {
  /** The HTTP status (0 when no answer came at all). */
  status: number;
  /** The chat API's error_type, or one of ours: unreachable, unreadable, cut_off. */
  errorType: string;
  /** One sentence for the customer. */
  message: string;
  /**
   * Refused before the assistant saw anything (no answer, or a JSON error: sign-in, body, rate
   * limit, no assistant): sending the same again is safe. False once the turn had started.
   */
  beforeTurn: boolean;
}

export interface SignedIn {
  token: string;
  pf360Token: string;
  customerId: string;
  expiresInSeconds: number;
}

export type TurnEvent =
  | { type: 'delta'; text: string }
  | { type: 'confirmation'; sessionId: string; confirmation: PendingConfirmation }
  | { type: 'done'; response: ChatResponse }
  | { type: 'error'; error: ApiError };

export interface Connection {
  /** Where the gateway is: '' on the page (same origin), CHAT_URL in the terminal. */
  base: string;
  fetch?: typeof fetch;
}

const unreachable = (): ApiError => ({
  status: 0,
  errorType: 'unreachable',
  message: 'The chat service could not be reached; check that npm start is running, then try again.',
  beforeTurn: true,
});

const cutOff = (): ApiError => ({
  status: 0,
  errorType: 'cut_off',
  message:
    'The connection closed before the assistant finished; if you were confirming a change, ask for its status before trying again.',
  beforeTurn: false,
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The chat API's error body ({error, error_type}) as a sentence, or a plain one when there is none. */
function toApiError(status: number, body: unknown, beforeTurn: boolean): ApiError {
  if (isObject(body) && typeof body.error === 'string' && body.error.trim() !== '') {
    return {
      status,
      errorType: typeof body.error_type === 'string' ? body.error_type : 'error',
      message: body.error,
      beforeTurn,
    };
  }
  return {
    status,
    errorType: 'unreadable',
    message: `The chat service answered HTTP ${status} without saying why; please try again.`,
    beforeTurn,
  };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

async function post(connection: Connection, path: string, body: unknown, headers: Record<string, string> = {}) {
  const doFetch = connection.fetch ?? fetch;
  return doFetch(`${connection.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** A local token for `customerId` (the demo customer when omitted), from the gateway's POST /dev/token. */
export async function signIn(
  connection: Connection,
  customerId?: string,
): Promise<{ ok: true; signedIn: SignedIn } | { ok: false; error: ApiError }> {
  let response: Response;
  try {
    response = await post(connection, '/dev/token', customerId === undefined ? {} : { customer_id: customerId });
  } catch {
    return { ok: false, error: unreachable() };
  }
  const body = await readJson(response);
  if (
    !response.ok ||
    !isObject(body) ||
    typeof body.token !== 'string' ||
    typeof body.pf360_token !== 'string' ||
    typeof body.customer_id !== 'string'
  ) {
    return { ok: false, error: toApiError(response.status, body, true) };
  }
  return {
    ok: true,
    signedIn: {
      token: body.token,
      pf360Token: body.pf360_token,
      customerId: body.customer_id,
      expiresInSeconds: typeof body.expires_in === 'number' ? body.expires_in : 0,
    },
  };
}

function authHeaders(auth: SignedIn): Record<string, string> {
  return { authorization: `Bearer ${auth.token}`, 'x-pf360-token': auth.pf360Token };
}

/** One streamed turn: the events as they arrive, always ending in exactly one `done` or `error`. */
async function* turn(connection: Connection, path: string, auth: SignedIn, body: unknown): AsyncGenerator<TurnEvent> {
  let response: Response;
  try {
    response = await post(connection, path, body, authHeaders(auth));
  } catch {
    yield { type: 'error', error: unreachable() };
    return;
  }
  const type = response.headers.get('content-type') ?? '';
  // Whatever the API refuses before the turn starts (sign-in, body, no assistant) is plain JSON.
  if (!type.startsWith('text/event-stream') || !response.body) {
    const json = await readJson(response);
    if (response.ok && isObject(json) && typeof json.session_id === 'string') {
      yield { type: 'done', response: json as unknown as ChatResponse };
    } else {
      yield { type: 'error', error: toApiError(response.status, json, true) };
    }
    return;
  }
  try {
    for await (const event of readSse(response.body)) {
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        data = undefined;
      }
      if (!isObject(data)) {
        yield { type: 'error', error: toApiError(502, undefined, false) };
        return;
      }
      if (event.event === 'delta' && typeof data.text === 'string') {
        yield { type: 'delta', text: data.text };
      } else if (event.event === 'confirmation' && typeof data.session_id === 'string' && isObject(data.confirmation)) {
        yield {
          type: 'confirmation',
          sessionId: data.session_id,
          confirmation: data.confirmation as unknown as PendingConfirmation,
        };
      } else if (event.event === 'done') {
        yield { type: 'done', response: data as unknown as ChatResponse };
        return;
      } else if (event.event === 'error') {
        yield { type: 'error', error: toApiError(typeof data.status === 'number' ? data.status : 502, data, false) };
        return;
      }
      // Any other event name is for a newer client: skipped.
    }
  } catch {
    // The connection broke mid-answer: reported below, like a stream that just stopped.
  }
  yield { type: 'error', error: cutOff() };
}

/** POST /chat/stream: the customer's message, in the conversation `session_id` names when given. */
export function sendMessage(connection: Connection, auth: SignedIn, request: ChatRequest) {
  return turn(connection, '/chat/stream', auth, request);
}

/** POST /chat/confirm/stream: the customer's yes (confirm) or no (deny) to a pending change. */
export function answerConfirmation(connection: Connection, auth: SignedIn, request: ConfirmRequest) {
  return turn(connection, '/chat/confirm/stream', auth, request);
}

/** Whether an answer to a confirmation that failed with `error` may be sent again (the API reopens it). */
export function confirmationStillOpen(error: ApiError): boolean {
  // The confirmation is used up once the assistant may have acted on it, or when it is gone.
  return !['agent_outcome_unknown', 'confirmation_not_found', 'session_not_found', 'forbidden', 'cut_off'].includes(
    error.errorType,
  );
}

/** Labels for the values a confirmation's details carry (openapi/chat.yaml PendingConfirmation). */
export const detailLabels: Record<string, string> = {
  project_id: 'Project',
  date: 'Date',
  time: 'Time',
  note_text: 'Note',
};
