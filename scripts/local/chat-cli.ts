/**
 * `npm run chat -- [--customer <id>]`: the chat page's conversation in the terminal. Signs in at
 * CHAT_URL (default http://127.0.0.1:3000, the gateway of `npm start`) through POST /dev/token,
 * then reads a line, streams the assistant's words as they arrive (POST /chat/stream), and asks
 * `Confirm? [y/N]` before any change (POST /chat/confirm/stream). It uses the page's own client
 * and SSE parser (web/chat/), so both front ends read the API the same way. Failures are printed
 * as the API's sentence on stderr; with no assistant configured it prints how to configure one and
 * exits 1. `exit` or Ctrl-D ends (exit 0), Ctrl-C stops at once (130).
 */
import { createInterface, type Interface } from 'node:readline';
import {
  type ApiError,
  answerConfirmation,
  type ChatResponse,
  type Connection,
  confirmationStillOpen,
  detailLabels,
  type PendingConfirmation,
  type SignedIn,
  sendMessage,
  signIn,
  type TurnEvent,
} from '../../web/chat/client.js';
import { failUsage, readCommandLine } from '../lib/cli.js';

const command = {
  name: 'chat',
  usage: 'usage: npm run chat -- [--customer <id>]',
  summary:
    'The chat of the local stack in the terminal: signs in with a local token at CHAT_URL (default http://127.0.0.1:3000, the gateway of npm start), prints the assistant\'s words as they arrive and asks "Confirm? [y/N]" before any change. Type "exit" or press Ctrl-D to end.',
  options: {
    customer: { type: 'string' },
  },
  optionHelp: {
    customer: 'the customer id to sign in as (default: the demo customer of POST /dev/token)',
  },
} as const;

const { values: flags } = readCommandLine(command);

function chatUrl(raw: string | undefined): string {
  const value = raw?.trim() || 'http://127.0.0.1:3000';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return failUsage(command, `CHAT_URL must be an http(s) URL such as http://127.0.0.1:3000, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failUsage(command, `CHAT_URL must be an http(s) URL such as http://127.0.0.1:3000, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

const connection: Connection = { base: chatUrl(process.env.CHAT_URL) };
const out = (text: string) => process.stdout.write(text);
const complain = (text: string) => process.stderr.write(`${text}\n`);

/**
 * The lines typed (or piped) in, one at a time, each after its prompt. Lines that arrive before
 * they are asked for — pasted, or piped all at once — wait in order instead of being lost.
 */
class Lines {
  private readonly queue: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private closed = false;

  /** A terminal echoes what is typed; piped input is echoed here, so the transcript reads the same. */
  constructor(
    private readonly rl: Interface,
    private readonly echo: boolean,
  ) {
    rl.on('line', (line) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (!waiting) {
        this.queue.push(line);
        return;
      }
      if (this.echo) out(`${line}\n`);
      waiting(line);
    });
    rl.on('close', () => {
      this.closed = true;
      this.waiting?.(undefined);
      this.waiting = undefined;
    });
  }

  /** The next line, or undefined at the end of the input (Ctrl-D). */
  next(prompt: string): Promise<string | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined || this.closed) {
      // A line that came early is shown after its prompt, so the transcript says what it answered.
      out(queued === undefined ? prompt : `${prompt}${queued}\n`);
      return Promise.resolve(queued);
    }
    this.rl.setPrompt(prompt);
    this.rl.prompt();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
}

interface Outcome {
  response?: ChatResponse;
  error?: ApiError;
}

/** Prints one streamed turn as it arrives and returns how it ended. */
async function printTurn(events: AsyncGenerator<TurnEvent>): Promise<Outcome> {
  let started = false;
  const start = () => {
    if (!started) out('assistant> ');
    started = true;
  };
  let confirmation: PendingConfirmation | undefined;
  for await (const event of events) {
    if (event.type === 'delta') {
      start();
      out(event.text);
    } else if (event.type === 'confirmation') {
      confirmation = event.confirmation;
    } else if (event.type === 'done') {
      // A host that cannot stream sends the whole reply here only.
      if (!started && event.response.reply !== '') {
        start();
        out(event.response.reply);
      }
      if (started) out('\n');
      const response =
        event.response.confirmation || !confirmation ? event.response : { ...event.response, confirmation };
      return { response };
    } else {
      if (started) out('\n');
      return { error: event.error };
    }
  }
  return {};
}

let auth: SignedIn;

async function signInOrExit(): Promise<void> {
  const result = await signIn(connection, flags.customer);
  if (!result.ok) {
    complain(
      result.error.errorType === 'unreachable'
        ? `The chat service could not be reached at ${connection.base}; start it with npm start (or set CHAT_URL).`
        : result.error.message,
    );
    process.exit(1);
  }
  auth = result.signedIn;
}

/**
 * One request, printed. An expired sign-in is renewed and the same request sent once more (it
 * was refused before anything ran, so nothing happens twice); no assistant at all ends the chat.
 */
async function run(request: () => AsyncGenerator<TurnEvent>): Promise<Outcome> {
  let outcome = await printTurn(request());
  if (outcome.error?.status === 401) {
    complain(`${outcome.error.message} Signing in again.`);
    await signInOrExit();
    outcome = await printTurn(request());
  }
  const { error } = outcome;
  if (error) {
    complain(
      error.errorType === 'unreachable'
        ? `The chat service could not be reached at ${connection.base}; check that npm start is running, then try again.`
        : error.message,
    );
    if (error.errorType === 'agent_not_configured') process.exit(1);
  }
  return outcome;
}

function printConfirmation(confirmation: PendingConfirmation): void {
  const details = Object.entries(confirmation.details ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
  out(`\n  ${confirmation.summary}\n`);
  for (const [key, value] of details) out(`    ${detailLabels[key] ?? key}: ${value}\n`);
}

let sessionId: string | undefined;

/** Asks about each change the assistant proposes until none is pending; false at the end of the input. */
async function confirmAll(first: ChatResponse, lines: Lines): Promise<boolean> {
  let pending = first.type === 'confirmation_required' ? first.confirmation : undefined;
  while (pending) {
    const confirmation = pending;
    printConfirmation(confirmation);
    const answer = await lines.next('Confirm? [y/N] ');
    if (answer === undefined) return false;
    const decision = /^\s*y(es)?\s*$/i.test(answer) ? 'confirm' : 'deny';
    const current = sessionId ?? first.session_id;
    const { response, error } = await run(() =>
      answerConfirmation(connection, auth, {
        session_id: current,
        confirmation_id: confirmation.confirmation_id,
        decision,
      }),
    );
    if (response) {
      sessionId = response.session_id;
      pending = response.type === 'confirmation_required' ? response.confirmation : undefined;
    } else if (!error || !confirmationStillOpen(error)) {
      pending = undefined;
    } else {
      complain('The change is still waiting for your answer.');
    }
  }
  return true;
}

async function main(): Promise<void> {
  await signInOrExit();
  out(
    `Signed in as customer ${auth.customerId} at ${connection.base}. Type a message and press Enter; "exit" or Ctrl-D ends.\n`,
  );
  const terminal = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal });
  // Ctrl-C means stop now, even in the middle of an answer.
  rl.on('SIGINT', () => {
    out('\n');
    process.exit(130);
  });
  const lines = new Lines(rl, !terminal);
  for (;;) {
    const line = await lines.next('you> ');
    if (line === undefined) {
      out('\n');
      break;
    }
    const message = line.trim();
    if (message === 'exit' || message === 'quit') break;
    if (message === '') continue;
    const { response } = await run(() =>
      sendMessage(connection, auth, { message, ...(sessionId ? { session_id: sessionId } : {}) }),
    );
    if (!response) continue;
    sessionId = response.session_id;
    if (!(await confirmAll(response, lines))) {
      out('\n');
      break;
    }
  }
  rl.close();
  // Leaves at once, without waiting for the HTTP client's idle connections to time out.
  process.exit(0);
}

main().catch((error: unknown) => {
  complain(`npm run chat failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
