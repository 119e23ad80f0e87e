/**
 * The chat page on the local gateway (`npm start`, http://127.0.0.1:3000/): web/chat/index.html,
 * chat.css, and chat.ts bundled by esbuild in memory — once per process, at start, so nothing
 * built is committed and a syntax error shows when the gateway starts, not on the first visit.
 * Every answer says `cache-control: no-store` (a restarted gateway serves the new page at once) and
 * carries a strict Content-Security-Policy: the page loads only its own script and stylesheet,
 * talks only to its own origin, and runs no inline script — so text from the assistant can never
 * become code even if a bug ever put it into HTML.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { AppError, toErrorResponse } from '../../src/domain/errors.js';
import { repoRoot } from '../lib/specs.js';
import { demoCustomer } from './env.js';
import type { GatewayOptions } from './gateway.js';

export const chatPageDir = join(repoRoot, 'web', 'chat');

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  type: string;
  body: Buffer;
}

/** The page's three files, ready to serve. */
async function loadAssets(dir: string): Promise<Map<string, Asset>> {
  const [html, css, bundle] = await Promise.all([
    readFile(join(dir, 'index.html'), 'utf8'),
    readFile(join(dir, 'chat.css')),
    build({
      entryPoints: [join(dir, 'chat.ts')],
      write: false,
      bundle: true,
      format: 'esm',
      target: 'es2022',
      platform: 'browser',
      logLevel: 'silent',
    }),
  ]);
  const script = bundle.outputFiles[0];
  if (!script) throw new Error('esbuild produced no chat.js');
  return new Map([
    // The sign-in form is prefilled with the customer POST /dev/token signs in by default.
    [
      '/',
      {
        type: 'text/html; charset=utf-8',
        body: Buffer.from(html.replaceAll('__DEMO_CUSTOMER_ID__', demoCustomer.customerId)),
      },
    ],
    ['/chat.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(script.contents) }],
    ['/chat.css', { type: 'text/css; charset=utf-8', body: css }],
  ]);
}

type Route = NonNullable<GatewayOptions['routes']>;

export type PageRoutes = Route & {
  /** Settles when the page is built; rejects with esbuild's error when chat.ts does not build. */
  ready: Promise<void>;
};

/**
 * Gateway routes for the page: GET (and HEAD) of /, /chat.js and /chat.css; any other method on
 * them is 405 as the gateway answers it elsewhere. Everything else is not theirs (undefined).
 */
export function chatPageRoutes(dir: string = chatPageDir): PageRoutes {
  // Started now, awaited by each request: the bundle is ready before anyone asks for it.
  const assets = loadAssets(dir);
  const ready = assets.then(() => undefined);
  // A failed build is reported by `ready` and by each request, never as an unhandled rejection.
  ready.catch(() => undefined);

  const routes = async (request: IncomingMessage, _body: string, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    // The browser asks for an icon on its own; an empty answer keeps its console quiet.
    if (path === '/favicon.ico' && (request.method === 'GET' || request.method === 'HEAD')) {
      response.writeHead(204, { 'cache-control': 'no-store' });
      response.end();
      return 'sent' as const;
    }
    if (!['/', '/chat.js', '/chat.css'].includes(path)) return undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const { status, body } = toErrorResponse(new AppError('method_not_allowed', 'Use GET.'));
      return { status, body, headers: { allow: 'GET, HEAD' } };
    }
    const asset = (await assets).get(path);
    if (!asset) return undefined;
    response.writeHead(200, {
      'content-type': asset.type,
      'content-length': String(asset.body.length),
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    response.end(request.method === 'HEAD' ? undefined : asset.body);
    return 'sent' as const;
  };
  return Object.assign(routes, { ready });
}

/** Several route functions as one: the first that answers wins. */
export function firstOf(...routes: Route[]): Route {
  return async (request, body, response) => {
    for (const route of routes) {
      const reply = await route(request, body, response);
      if (reply !== undefined) return reply;
    }
    return undefined;
  };
}
