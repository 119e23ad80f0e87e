/**
 * The local chat page (served by `npm start` at /): sign in with a local token, then talk to the
 * assistant over the streamed chat API. Plain DOM: every piece of text from the server goes in
 * through textContent, never as HTML. The token lives in this module's memory only (no
 * localStorage), so closing or reloading the tab signs out.
 */
import {
  type ApiError,
  answerConfirmation,
  confirmationStillOpen,
  detailLabels,
  type PendingConfirmation,
  type SignedIn,
  sendMessage,
  signIn,
  type TurnEvent,
} from './client.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the chat page has no #${id}`);
  return element as T;
}

const ui = {
  signIn: byId<HTMLElement>('sign-in'),
  signInForm: byId<HTMLFormElement>('sign-in-form'),
  customerId: byId<HTMLInputElement>('customer-id'),
  signInButton: byId<HTMLButtonElement>('sign-in-button'),
  signInNote: byId<HTMLElement>('sign-in-note'),
  signInError: byId<HTMLElement>('sign-in-error'),
  signedInAs: byId<HTMLElement>('signed-in-as'),
  signedInText: byId<HTMLElement>('signed-in-text'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  chat: byId<HTMLElement>('chat'),
  notConfigured: byId<HTMLElement>('not-configured'),
  notConfiguredText: byId<HTMLElement>('not-configured-text'),
  log: byId<HTMLOListElement>('log'),
  chatError: byId<HTMLElement>('chat-error'),
  messageForm: byId<HTMLFormElement>('message-form'),
  message: byId<HTMLTextAreaElement>('message'),
  send: byId<HTMLButtonElement>('send'),
};

/** The same origin that served the page. */
const connection = { base: '' };

interface Card {
  /** Disables the buttons and says why. */
  close(status: string): void;
}

const state: {
  auth?: SignedIn;
  /** The conversation the API gave us; sent with every message so the assistant keeps its context. */
  sessionId?: string;
  /** Whose conversation the log shows: signing in again as them (after an expiry) continues it. */
  customerId?: string;
  busy: boolean;
  /** The confirmation card waiting for Yes or No, if any. */
  pendingCard?: Card;
} = { busy: false };

let cardCount = 0;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Keeps the newest message in view. */
function scrollToEnd(): void {
  ui.log.scrollTop = ui.log.scrollHeight;
}

/** A message in the log; returns where its text goes. */
function addMessage(from: 'user' | 'assistant', text: string): { item: HTMLLIElement; text: HTMLParagraphElement } {
  const item = element('li', `msg ${from}`);
  item.append(element('span', 'from', from === 'user' ? 'You' : 'Assistant'));
  const body = element('p', 'text', text);
  item.append(body);
  ui.log.append(item);
  scrollToEnd();
  return { item, text: body };
}

function showSignIn(note: string, clearConversation: boolean): void {
  state.auth = undefined;
  state.pendingCard?.close('Not answered: you were signed out.');
  state.pendingCard = undefined;
  if (clearConversation) {
    state.sessionId = undefined;
    state.customerId = undefined;
    ui.log.replaceChildren();
  }
  ui.chat.hidden = true;
  ui.signedInAs.hidden = true;
  ui.signIn.hidden = false;
  ui.signInNote.textContent = note;
  ui.customerId.focus();
}

function showChat(auth: SignedIn): void {
  if (state.customerId !== auth.customerId) {
    // Another customer: their conversation starts empty (a session belongs to one customer).
    state.sessionId = undefined;
    state.pendingCard = undefined;
    ui.log.replaceChildren();
  }
  state.auth = auth;
  state.customerId = auth.customerId;
  ui.signIn.hidden = true;
  ui.signInNote.textContent = '';
  ui.signedInText.textContent = `Signed in as customer ${auth.customerId}`;
  ui.signedInAs.hidden = false;
  ui.chat.hidden = false;
  ui.message.focus();
}

function setBusy(busy: boolean): void {
  state.busy = busy;
  // The input stays usable so the next message can be typed; only sending waits. Signing out
  // waits too, so that an answer still arriving never lands in the next customer's log.
  ui.send.disabled = busy;
  ui.signOut.disabled = busy;
}

/** What the customer reads when a turn fails. */
function showFailure(error: ApiError): void {
  if (error.status === 401) {
    showSignIn(error.message, false);
  } else if (error.errorType === 'agent_not_configured') {
    ui.notConfiguredText.textContent = error.message;
    ui.notConfigured.hidden = false;
  } else {
    ui.chatError.textContent = error.message;
  }
}

/**
 * Runs one turn: a new assistant message that fills in as the words arrive, a card for a
 * confirmation, and the failure (if any) as a sentence. Resolves with the failure.
 */
async function runTurn(events: AsyncGenerator<TurnEvent>): Promise<ApiError | undefined> {
  setBusy(true);
  ui.chatError.textContent = '';
  const reply = addMessage('assistant', '');
  // aria-busy: screen readers announce the message once it is complete, not word by word.
  reply.item.setAttribute('aria-busy', 'true');
  reply.item.classList.add('pending');
  let failure: ApiError | undefined;
  const shown = new Set<string>();
  for await (const event of events) {
    if (event.type === 'delta') {
      reply.text.append(event.text);
      scrollToEnd();
    } else if (event.type === 'confirmation') {
      state.sessionId = event.sessionId;
      shown.add(event.confirmation.confirmation_id);
      showConfirmation(event.sessionId, event.confirmation);
    } else if (event.type === 'done') {
      const { response } = event;
      state.sessionId = response.session_id;
      ui.notConfigured.hidden = true;
      // The whole reply is the reference (a host that cannot stream sends only this).
      if (response.reply !== '' && reply.text.textContent !== response.reply) reply.text.textContent = response.reply;
      if (response.confirmation && !shown.has(response.confirmation.confirmation_id)) {
        showConfirmation(response.session_id, response.confirmation);
      }
    } else {
      failure = event.error;
    }
  }
  reply.item.removeAttribute('aria-busy');
  reply.item.classList.remove('pending');
  if (reply.text.textContent === '') reply.item.remove();
  if (failure) showFailure(failure);
  setBusy(false);
  // Back to the input unless the customer has moved on to something else meanwhile.
  if (!ui.chat.hidden && (document.activeElement === document.body || document.activeElement === null)) {
    ui.message.focus();
  }
  return failure;
}

function showConfirmation(sessionId: string, confirmation: PendingConfirmation): void {
  const id = `card-${++cardCount}`;
  const card = element('li', 'card');
  card.setAttribute('role', 'group');
  card.setAttribute('aria-labelledby', `${id}-heading`);
  const heading = element('h3', undefined, 'Please confirm');
  heading.id = `${id}-heading`;
  const summary = element('p', 'summary', confirmation.summary);
  summary.id = `${id}-summary`;
  card.append(heading, summary);

  const rows = Object.entries(confirmation.details ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
  if (rows.length) {
    const details = element('dl', 'details');
    for (const [key, value] of rows)
      details.append(element('dt', undefined, detailLabels[key] ?? key), element('dd', undefined, value));
    card.append(details);
  }

  const actions = element('div', 'actions');
  const yes = element('button', 'yes', 'Yes');
  const no = element('button', 'no', 'No');
  for (const button of [yes, no]) {
    button.type = 'button';
    button.setAttribute('aria-describedby', summary.id);
  }
  actions.append(yes, no);
  const status = element('p', 'card-status');
  card.append(actions, status);

  const handle: Card = {
    close(text) {
      yes.disabled = true;
      no.disabled = true;
      status.textContent = text;
      card.classList.add('answered');
    },
  };
  const answer = async (decision: 'confirm' | 'deny') => {
    if (state.busy || !state.auth) return;
    handle.close(decision === 'confirm' ? 'You answered Yes.' : 'You answered No.');
    if (state.pendingCard === handle) state.pendingCard = undefined;
    // The pressed button is disabled now; the customer carries on typing.
    ui.message.focus();
    const failure = await runTurn(
      answerConfirmation(connection, state.auth, {
        session_id: sessionId,
        confirmation_id: confirmation.confirmation_id,
        decision,
      }),
    );
    if (failure && confirmationStillOpen(failure) && !state.pendingCard) {
      // Turned down before the assistant started on it (or the sign-in expired): the API keeps it
      // open, so the page does too.
      yes.disabled = false;
      no.disabled = false;
      status.textContent = 'Not answered yet: you can answer again.';
      card.classList.remove('answered');
      state.pendingCard = handle;
    }
  };
  yes.addEventListener('click', () => void answer('confirm'));
  no.addEventListener('click', () => void answer('deny'));

  // The API drops a pending confirmation when a new one (or a new message) comes.
  state.pendingCard?.close('Not answered: replaced by a newer question.');
  state.pendingCard = handle;
  ui.log.append(card);
  scrollToEnd();
}

async function sendCurrentMessage(): Promise<void> {
  const auth = state.auth;
  const text = ui.message.value.trim();
  if (state.busy || !auth || text === '') return;
  ui.message.value = '';
  ui.message.focus();
  // A new message replaces the pending confirmation on the server too.
  state.pendingCard?.close('Not answered: you sent a new message.');
  state.pendingCard = undefined;
  const sent = addMessage('user', text);
  const failure = await runTurn(
    sendMessage(connection, auth, { message: text, ...(state.sessionId ? { session_id: state.sessionId } : {}) }),
  );
  // Refused before the assistant saw it (no assistant, rate limit, sign-in): the log keeps only
  // what the assistant got, and the text goes back into the input to send again.
  if (failure?.beforeTurn) {
    sent.item.remove();
    if (ui.message.value === '') ui.message.value = text;
  }
}

ui.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  ui.signInError.textContent = '';
  const customerId = ui.customerId.value.trim();
  if (!ui.customerId.checkValidity() || customerId === '') {
    ui.customerId.setAttribute('aria-invalid', 'true');
    ui.signInError.textContent = 'Enter a customer id: 1 to 64 letters, digits, hyphens or underscores.';
    ui.customerId.focus();
    return;
  }
  ui.customerId.removeAttribute('aria-invalid');
  ui.signInButton.disabled = true;
  const result = await signIn(connection, customerId);
  ui.signInButton.disabled = false;
  if (!result.ok) {
    ui.signInError.textContent = result.error.message;
    ui.customerId.focus();
    return;
  }
  showChat(result.signedIn);
});

ui.signOut.addEventListener('click', () => showSignIn('You are signed out.', true));

ui.message.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter is a new line; an input method composing text keeps its Enter.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    if (!state.busy) ui.messageForm.requestSubmit();
  }
});

ui.messageForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void sendCurrentMessage();
});

ui.customerId.focus();
