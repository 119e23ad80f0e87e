/**
 * The chat page in a real browser (Debian's Chromium through Playwright) against the local
 * gateway as `npm start` composes it: the page, /dev/token, the streamed chat API, the
 * code-defined agent with only the model scripted, the tools, PF360 (Prism behind a recording
 * proxy) and DynamoDB Local. The customer's whole booking conversation, by keyboard; a No that
 * changes nothing; an expired sign-in; and a stack with no assistant configured.
 */

import { SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localJwt } from '../../scripts/local/chat.js';
import { notConfiguredMessage } from '../../src/chat/http.js';
import { launchChromium } from '../helpers/browser.js';
import { type ChatGateway, startChatGateway } from '../helpers/chat-gateway.js';
import { HeldModel } from '../helpers/held-model.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

let pf360: UpstreamProxy;
/** Started once; a browser that cannot start fails every test with the reason (none is skipped). */
let browser: Promise<Browser>;
let gateway: ChatGateway | undefined;
beforeAll(async () => {
  browser = launchChromium();
  browser.catch(() => undefined);
  pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
});
afterAll(async () => {
  await (await browser.catch(() => undefined))?.close();
  await pf360?.close();
});
beforeEach(() => pf360.reset());
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** The page in a fresh browser profile, with everything it logs as an error or throws. */
async function openChat(model?: HeldModel) {
  gateway = await startChatGateway({ ...(model ? { model } : {}), pf360Url: pf360.url });
  const context = await (await browser).newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    // Chrome logs every 4xx/5xx answer to fetch; what matters is anything else (CSP refusals, errors).
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(message.text());
    }
  });
  await page.goto(`${gateway.base}/`);
  return { page, problems };
}

const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');

/**
 * Resolves when no answer is streaming any more and Send is enabled again (locators, not
 * waitForFunction: the page's CSP rightly forbids the eval that polling a string needs).
 */
async function turnFinished(page: Page): Promise<void> {
  await page.locator('#log [aria-busy]').waitFor({ state: 'detached' });
  await page.locator('#send:enabled').waitFor();
}

const lastReply = (page: Page) => page.locator('#log .msg.assistant .text').last();
const lastOwn = (page: Page) => page.locator('#log .msg.user .text').last();

async function signIn(page: Page, customerId: string): Promise<void> {
  await page.getByLabel('Customer id').fill(customerId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as customer ${customerId}`).waitFor();
}

/** Types into the focused field and presses Enter, as the customer does. */
async function say(page: Page, message: string): Promise<void> {
  expect(await focusedId(page), 'the message field has the focus before typing').toBe('message');
  await page.keyboard.type(message);
  await page.keyboard.press('Enter');
}

const bookTheRoof = {
  text: 'I can book Wednesday, December 2 at 10:00 AM.',
  toolCalls: [{ name: 'confirm_appointment', input: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' } }],
};
const roofSummary = 'Book project ORD-2026-003 (Roofing) on Wednesday, December 2, 2026 at 10:00 AM.';

describe('the chat page', () => {
  it('holds the whole booking conversation by keyboard: projects, dates, slots, a confirmation card, Yes, booked, status', {
    timeout: 120_000,
  }, async () => {
    // Prepare
    const model = new HeldModel([]);
    const { page, problems } = await openChat(model);

    // Act + Assess: sign in as the customer the form offers, typed in.
    expect(await page.getByLabel('Customer id').inputValue()).toBe('1645975');
    expect(await focusedId(page)).toBe('customer-id');
    await signIn(page, '1645975');
    expect(await focusedId(page)).toBe('message');
    expect(await page.getByRole('log', { name: 'Conversation' }).getAttribute('aria-live')).toBe('polite');

    // The projects: the first words are on the screen while the model is still writing.
    model.push(
      { toolCalls: [{ name: 'list_projects', input: {} }] },
      { text: ['You have four projects: ', 'flooring, kitchen cabinets, windows and roofing.'] },
    );
    const release = model.holdNextText();
    await say(page, 'Which projects do I have?');
    // No race: the model waits after its first piece until release(), however slow the machine.
    await expect.poll(() => lastReply(page).textContent(), { timeout: 20_000 }).toBe('You have four projects: ');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    expect(await lastOwn(page).textContent()).toBe('Which projects do I have?');
    expect(await page.getByLabel('Your message').inputValue()).toBe('');
    expect(await focusedId(page)).toBe('message');
    release();
    await turnFinished(page);
    expect(await lastReply(page).textContent()).toBe(
      'You have four projects: flooring, kitchen cabinets, windows and roofing.',
    );

    // Dates, then the slots of one date: the page keeps the conversation (the session holds the offer).
    model.push(
      { toolCalls: [{ name: 'get_available_dates', input: { project_id: '12350' } }] },
      { text: 'The first open date for the roofing job is Wednesday, December 2.' },
    );
    await say(page, 'When can the roofing job be done?');
    await turnFinished(page);
    expect(await lastReply(page).textContent()).toBe(
      'The first open date for the roofing job is Wednesday, December 2.',
    );
    model.push(
      { toolCalls: [{ name: 'get_time_slots', input: { project_id: '12350', date: '2026-12-02' } }] },
      { text: 'On December 2 the crew can come at 10:00 AM.' },
    );
    await say(page, 'Which times are open on December 2?');
    await turnFinished(page);
    expect(await lastReply(page).textContent()).toBe('On December 2 the crew can come at 10:00 AM.');

    // Booking: the page shows what will happen and asks; nothing reaches PF360 before the Yes.
    model.push(bookTheRoof);
    await say(page, 'Book 10:00 AM please');
    const card = page.getByRole('group', { name: 'Please confirm' });
    await card.waitFor();
    await turnFinished(page);
    expect(await lastReply(page).textContent()).toBe('I can book Wednesday, December 2 at 10:00 AM.');
    expect(await card.locator('.summary').textContent()).toBe(roofSummary);
    expect(await card.locator('dt, dd').allTextContents()).toEqual([
      'Project',
      '12350',
      'Date',
      '2026-12-02',
      'Time',
      '10:00 AM',
    ]);
    expect(pf360.matching('POST', pf360Paths.schedule)).toEqual([]);
    expect(await focusedId(page)).toBe('message');

    // Yes by keyboard: the card's buttons are the stops just before the message field.
    model.push({ text: 'You are booked for Wednesday, December 2 at 10:00 AM.' });
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Yes');
    await page.keyboard.press('Space');
    await turnFinished(page);
    expect(await lastReply(page).textContent()).toBe('You are booked for Wednesday, December 2 at 10:00 AM.');
    expect(await card.getByRole('button', { name: 'Yes' }).isDisabled()).toBe(true);
    expect(await card.getByRole('button', { name: 'No' }).isDisabled()).toBe(true);
    expect(await card.locator('.card-status').textContent()).toBe('You answered Yes.');
    expect(await focusedId(page)).toBe('message');
    const booked = pf360.matching('POST', pf360Paths.schedule);
    expect(booked).toHaveLength(1);
    expect(booked[0]?.body).toContain('10:00 AM');

    // The status, in the same conversation.
    model.push(
      { toolCalls: [{ name: 'get_appointment_status', input: { project_id: '12350' } }] },
      { text: 'Your roofing job is scheduled for December 2 at 10:00 AM.' },
    );
    await say(page, 'Is it booked?');
    await turnFinished(page);
    expect(await lastReply(page).textContent()).toBe('Your roofing job is scheduled for December 2 at 10:00 AM.');
    expect(await page.locator('#log .msg.user .text').allTextContents()).toEqual([
      'Which projects do I have?',
      'When can the roofing job be done?',
      'Which times are open on December 2?',
      'Book 10:00 AM please',
      'Is it booked?',
    ]);
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
    expect(model.remaining).toBe(0);
    expect(await page.locator('#chat-error').textContent()).toBe('');
    expect(problems).toEqual([]);
  });

  it('changes nothing when the customer answers No, and shows the reply', { timeout: 60_000 }, async () => {
    // Prepare
    const model = new HeldModel([
      { toolCalls: [{ name: 'list_projects', input: {} }] },
      { toolCalls: [{ name: 'get_available_dates', input: { project_id: '12350' } }] },
      { toolCalls: [{ name: 'get_time_slots', input: { project_id: '12350', date: '2026-12-02' } }] },
      bookTheRoof,
      { text: 'All right, I did not book it.' },
    ]);
    const { page, problems } = await openChat(model);
    await signIn(page, '1645975');
    await say(page, 'Book my roofing job for Wednesday at 10');
    const card = page.getByRole('group', { name: 'Please confirm' });
    await card.waitFor();
    await turnFinished(page);

    // Act
    await card.getByRole('button', { name: 'No' }).click();
    await turnFinished(page);

    // Assess
    expect(await card.locator('.summary').textContent()).toBe(roofSummary);
    expect(await lastReply(page).textContent()).toBe('All right, I did not book it.');
    expect(await card.getByRole('button', { name: 'Yes' }).isDisabled()).toBe(true);
    expect(await card.getByRole('button', { name: 'No' }).isDisabled()).toBe(true);
    expect(await card.locator('.card-status').textContent()).toBe('You answered No.');
    expect(await focusedId(page)).toBe('message');
    expect(pf360.matching('POST', pf360Paths.schedule)).toEqual([]);
    expect(model.remaining).toBe(0);
    expect(problems).toEqual([]);
  });

  it('sends an expired sign-in back to the form with the reason, and keeps the message to send again', {
    timeout: 60_000,
  }, async () => {
    // Prepare: the first sign-in hands the page a token that expired an hour ago.
    const model = new HeldModel([{ text: 'Hello Maria, how can I help?' }]);
    const { page, problems } = await openChat(model);
    const expired = await new SignJWT({ client_id: '09PF05VD', client_name: 'projectsforce-validation' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1645975')
      .setIssuer(localJwt.JWT_ISSUER)
      .setAudience(localJwt.JWT_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(localJwt.JWT_HS256_SECRET));
    await page.route('**/dev/token', (route) =>
      route.fulfill({
        status: 201,
        contentType: 'application/json',
        body: JSON.stringify({
          token: expired,
          pf360_token: 'local-demo-token',
          customer_id: '1645975',
          expires_in: 0,
        }),
      }),
    );
    await signIn(page, '1645975');
    await page.unroute('**/dev/token');

    // Act
    await say(page, 'Hello');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // Assess
    expect(await page.locator('#sign-in-note').textContent()).toBe('Your sign-in has expired; please sign in again.');
    expect(await focusedId(page)).toBe('customer-id');
    await signIn(page, '1645975');
    expect(await page.getByLabel('Your message').inputValue()).toBe('Hello');
    expect(await page.locator('#log .msg').count()).toBe(0);
    await page.keyboard.press('Enter');
    await turnFinished(page);
    expect(await lastReply(page).textContent()).toBe('Hello Maria, how can I help?');
    expect(problems).toEqual([]);
  });

  it("keeps Shift+Enter as a new line, and shows a turn that failed midway as the API's sentence", async () => {
    // Prepare
    const model = new HeldModel([
      { error: { name: 'InternalServerException', message: 'model exploded', status: 500 } },
    ]);
    const { page, problems } = await openChat(model);
    await signIn(page, '1645975');

    // Act
    await page.keyboard.type('Two questions:');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('what and when?');
    const typed = await page.getByLabel('Your message').inputValue();
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'please try again' }).waitFor();
    await turnFinished(page);

    // Assess
    expect(typed).toBe('Two questions:\nwhat and when?');
    expect(await lastOwn(page).textContent()).toBe('Two questions:\nwhat and when?');
    expect(await page.locator('#chat-error').textContent()).toBe(
      'The assistant could not complete that request; please try again.',
    );
    expect(await page.locator('#log .msg.assistant').count()).toBe(0);
    expect(await page.locator('#not-configured').isHidden()).toBe(true);
    expect(await focusedId(page)).toBe('message');
    expect(problems).toEqual([]);
  });

  it('says plainly that no assistant is configured, and how to configure one', async () => {
    // Prepare
    const { page, problems } = await openChat();
    await signIn(page, '1645975');

    // Act
    await say(page, 'Hi');
    const panel = page.getByRole('alert').filter({ hasText: 'No assistant is configured' });
    await panel.waitFor();
    await turnFinished(page);

    // Assess
    expect(await panel.getByRole('heading').textContent()).toBe('No assistant is configured');
    expect(await page.locator('#not-configured-text').textContent()).toBe(notConfiguredMessage);
    expect(notConfiguredMessage).toContain('AGENT_PROVIDER=openai');
    // Nothing reached an assistant: the log stays empty and the message waits in the input.
    expect(await page.locator('#log .msg').count()).toBe(0);
    expect(await page.getByLabel('Your message').inputValue()).toBe('Hi');
    expect(await focusedId(page)).toBe('message');
    expect(problems).toEqual([]);
  });

  it('refuses a customer id the gateway cannot sign in, with a sentence next to the field', async () => {
    // Prepare
    const { page, problems } = await openChat();

    // Act
    await page.getByLabel('Customer id').fill('not an id!');
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Assess
    expect(await page.getByRole('alert').filter({ hasText: 'customer id' }).textContent()).toBe(
      'Enter a customer id: 1 to 64 letters, digits, hyphens or underscores.',
    );
    expect(await page.getByLabel('Customer id').getAttribute('aria-invalid')).toBe('true');
    expect(await focusedId(page)).toBe('customer-id');
    expect(await page.locator('#chat').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  });
});
