/**
 * The chat page's routes on the local gateway, over HTTP: what each file is served as, the
 * headers that keep it fresh and locked down, and how the page's routes sit beside the chat API
 * and the gateway's own answers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPageRoutes, contentSecurityPolicy } from '../../scripts/local/chat-page.js';
import { type ChatGateway, startChatGateway } from '../helpers/chat-gateway.js';

let gateway: ChatGateway;
beforeAll(async () => {
  gateway = await startChatGateway({ pf360Url: process.env.PF360_BASE_URL ?? '' });
});
afterAll(() => gateway.close());

const get = (path: string, init: RequestInit = {}) => fetch(`${gateway.base}${path}`, init);

describe('the chat page routes', () => {
  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/chat.js', 'text/javascript; charset=utf-8'],
    ['/chat.css', 'text/css; charset=utf-8'],
  ])('serve %s as %s, never cached, under a strict content security policy', async (path, type) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': type,
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    });
    expect((await response.text()).length).toBeGreaterThan(100);
  });

  it('allow only their own origin, and no inline or evaluated script', () => {
    const directives = Object.fromEntries(
      contentSecurityPolicy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'connect-src': "'self'",
      'frame-ancestors': "'none'",
    });
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it('serve the page with the demo customer in the form and only external scripts', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain('value="1645975"');
    expect(html).not.toContain('__DEMO_CUSTOMER_ID__');
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script type="module" src="/chat.js">']);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('serve chat.js as one bundle, with no import left for the browser to resolve', async () => {
    const script = await (await get('/chat.js')).text();
    expect(script).not.toMatch(/^\s*import\s/m);
    expect(script).toContain('/chat/stream');
    expect(script).toContain('/dev/token');
  });

  it('answer HEAD with the headers and no body', async () => {
    const [head, full] = await Promise.all([get('/', { method: 'HEAD' }), get('/')]);
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(await full.text())));
    expect(await head.text()).toBe('');
  });

  it.each(['POST', 'PUT', 'DELETE'])('answer %s with 405 as the gateway does, naming the methods', async (method) => {
    const response = await get('/chat.js', { method, body: method === 'DELETE' ? null : '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await response.json()).toEqual({ error: 'Use GET.', error_type: 'method_not_allowed' });
  });

  it('leave the chat API and every other path to the routes behind them', async () => {
    const stream = await get('/chat/stream', { method: 'POST', body: '{"message":"Hi"}' });
    const chatByGet = await get('/chat');
    const token = await get('/dev/token', { method: 'POST', body: '{}' });
    const unknown = await get('/nowhere', { method: 'POST', body: '{}' });
    expect([stream.status, ((await stream.json()) as { error_type: string }).error_type]).toEqual([
      401,
      'unauthorized',
    ]);
    expect([chatByGet.status, ((await chatByGet.json()) as { error: string }).error]).toEqual([405, 'Use POST.']);
    expect(token.status).toBe(201);
    expect(unknown.status).toBe(404);
  });

  it('answer the icon the browser asks for with nothing', async () => {
    const response = await get('/favicon.ico');
    expect(response.status).toBe(204);
  });

  it('report a chat.ts that does not build when they are created, with esbuild’s message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-page-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'chat.css'), '');
    writeFileSync(join(dir, 'chat.ts'), 'const = ;');
    await expect(chatPageRoutes(dir).ready).rejects.toThrow(/chat\.ts:1:6: ERROR: Expected identifier/);
  });
});
