/**
 * A small recording and fault-injecting HTTP proxy in front of Prism. Tests point the client at
 * it to count exactly what reaches the upstream, and to inject what Prism's `Prefer` header
 * cannot: slowness, connection resets (before or mid-body), malformed or drifted JSON.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export type Fault =
  /** Answer this status/body without asking Prism. */
  | { kind: 'respond'; status: number; body?: unknown; rawBody?: string; headers?: Record<string, string> }
  /** Ask Prism for a documented response, e.g. `code=500` or `example=no_projects`. */
  | { kind: 'prefer'; prefer: string }
  /** Wait before forwarding (client timeouts). */
  | { kind: 'delay'; ms: number }
  /** Destroy the socket without answering. */
  | { kind: 'reset' }
  /** Send headers and half a body, then destroy the socket. */
  | { kind: 'reset-mid-body' };

export interface Rule {
  method?: string;
  path?: RegExp;
  fault: Fault;
  /** How many matching requests this rule applies to (default: all). */
  times?: number;
}

export interface UpstreamProxy {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose method and path match. */
  matching(method: string, path: RegExp): RecordedRequest[];
  inject(rule: Rule): void;
  reset(): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startUpstreamProxy(target: string): Promise<UpstreamProxy> {
  const requests: RecordedRequest[] = [];
  let rules: (Rule & { used: number })[] = [];

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://proxy');
    const body = await readBody(request);
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname, query: url.searchParams, headers: request.headers, body });
    const rule = rules.find(
      (r) =>
        (!r.method || r.method === method) && (!r.path || r.path.test(url.pathname)) && (r.times ?? Infinity) > r.used,
    );
    if (rule) rule.used += 1;
    const fault = rule?.fault;

    if (fault?.kind === 'reset') return request.socket.destroy();
    if (fault?.kind === 'respond') {
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return response.end(fault.rawBody ?? (fault.body === undefined ? '' : JSON.stringify(fault.body)));
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));

    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (name === 'host' || name === 'content-length' || name === 'connection' || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    if (fault?.kind === 'prefer') headers.set('prefer', fault.prefer);
    try {
      const upstream = await fetch(`${target}${url.pathname}${url.search}`, {
        method,
        headers,
        ...(body && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
      });
      const payload = Buffer.from(await upstream.arrayBuffer());
      const out: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name))
          out[name] = value;
      });
      if (fault?.kind === 'reset-mid-body') {
        response.writeHead(upstream.status, { ...out, 'content-length': String(payload.length) });
        response.write(payload.subarray(0, Math.floor(payload.length / 2)));
        setTimeout(() => response.socket?.destroy(), 10);
        return;
      }
      response.writeHead(upstream.status, out);
      response.end(payload);
    } catch {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'proxy could not reach the mock' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    matching: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)),
    inject: (rule) => {
      rules.push({ ...rule, used: 0 });
    },
    reset: () => {
      requests.length = 0;
      rules = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** PF360 paths by endpoint, for matching recorded requests. */
export const pf360Paths = {
  dashboard: /^\/dashboard\/get\//,
  slots: /\/get-rescheduler-slots$/,
  schedule: /\/schedule$/,
  cancel: /\/cancel-reschedule$/,
  hours: /\/business-hours$/,
  addNote: /^\/project-notes\/add\//,
  listNotes: /^\/project-notes\/list\//,
} as const;
