/**
 * The chat Lambda on an AgentCore stage: the real chat handler calling InvokeAgentRuntime through
 * the AWS SDK (SigV4, the runtime ARN in the path, the endpoint as qualifier, the chat session as
 * runtime session), against a loopback stand-in for AgentCore's data plane that checks what the
 * SDK sent and passes it on to the runtime server as AgentCore does. Our side of AWS's contract,
 * with the real agent behind it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedModel } from '../../src/agent/scripted-model.js';
import { createChatHandler } from '../../src/chat/wiring.js';
import { testHttpEnv } from '../helpers/actions.js';
import { chatEnv, httpEvent, token } from '../helpers/chat.js';
import { type RuntimeUnderTest, startRuntimeServer } from '../helpers/runtime-server.js';
import { sensitive } from '../helpers/sensitive.js';
import { pf360Paths, type UpstreamProxy } from '../helpers/upstream-proxy.js';

const runtimeArn = 'arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/pf360_agent_test-AbCdEf1234';
const model = new ScriptedModel([]);

interface Seen {
  path: string;
  query: string;
  authorization: string;
  session: string;
  contentType: string;
  accept: string;
}

let pf360: UpstreamProxy;
let runtime: RuntimeUnderTest;
let dataPlane: Server;
let runtimeUrl = '';
let dataPlaneUrl = '';
const seen: Seen[] = [];
/** The next answer of the stand-in instead of passing the call on (an AgentCore error). */
let refuseNext: { status: number; type: string } | undefined;

/** The bytes AgentCore passes on, as they came. */
async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  runtime = await startRuntimeServer(model);
  ({ pf360, url: runtimeUrl } = runtime);
  // AgentCore's data plane, as far as this caller can tell: it takes the signed request and
  // hands the payload and the session to the container's /invocations.
  dataPlane = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = await bodyOf(request);
    const header = (name: string) => String(request.headers[name] ?? '');
    seen.push({
      path: url.pathname,
      query: url.search,
      authorization: header('authorization'),
      session: header('x-amzn-bedrock-agentcore-runtime-session-id'),
      contentType: header('content-type'),
      accept: header('accept'),
    });
    if (refuseNext) {
      const { status, type } = refuseNext;
      refuseNext = undefined;
      response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
      response.end(JSON.stringify({ message: 'refused by the stand-in' }));
      return;
    }
    const forwarded = await fetch(`${runtimeUrl}/invocations`, {
      method: 'POST',
      headers: {
        'content-type': header('content-type'),
        accept: header('accept'),
        'x-amzn-bedrock-agentcore-runtime-session-id': header('x-amzn-bedrock-agentcore-runtime-session-id'),
      },
      body,
    });
    response.writeHead(forwarded.status, {
      'content-type': forwarded.headers.get('content-type') ?? 'application/octet-stream',
      'x-amzn-bedrock-agentcore-runtime-session-id': header('x-amzn-bedrock-agentcore-runtime-session-id'),
    });
    for await (const chunk of forwarded.body ?? []) response.write(chunk);
    response.end();
  });
  await new Promise<void>((resolve) => dataPlane.listen(0, '127.0.0.1', resolve));
  dataPlaneUrl = `http://127.0.0.1:${(dataPlane.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => dataPlane.close(() => resolve()));
  await runtime.close();
});
beforeEach(() => {
  pf360.reset();
  seen.length = 0;
});

function chat() {
  const agentCoreClient = new BedrockAgentCoreClient({
    region: 'us-east-1',
    endpoint: dataPlaneUrl,
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIATESTCHATLAMBDA00', secretAccessKey: 'test-secret-access-key' },
  });
  return createChatHandler(
    chatEnv({
      AGENT_ID: '',
      AGENT_ALIAS_ID: '',
      AGENT_PLATFORM: 'agentcore',
      AGENT_RUNTIME_ARN: runtimeArn,
      AGENT_RUNTIME_QUALIFIER: 'live',
      AWS_REGION: 'us-east-1',
      ...testHttpEnv,
    }),
    { agentCoreClient },
  );
}

async function post(handler: ReturnType<typeof chat>, path: string, body: object) {
  const headers = { authorization: `Bearer ${await token()}`, 'x-pf360-token': sensitive.e2eToken };
  const result = await handler(httpEvent(path, body, headers));
  return { status: result.statusCode, body: JSON.parse(result.body ?? '{}') };
}

describe('the chat on an AgentCore stage', () => {
  it('signs InvokeAgentRuntime for the runtime endpoint with the chat session as runtime session', async () => {
    model.push({ toolCalls: [{ name: 'list_projects', input: {} }] }, { text: 'You have three projects.' });

    const reply = await post(chat(), '/chat', { message: 'Which projects do I have?' });

    expect(reply).toMatchObject({ status: 200, body: { type: 'reply', reply: 'You have three projects.' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe(`/runtimes/${encodeURIComponent(runtimeArn)}/invocations`);
    expect(seen[0]?.query).toBe('?qualifier=live');
    expect(seen[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIATESTCHATLAMBDA00\/\d{8}\/us-east-1\/bedrock-agentcore\/aws4_request, SignedHeaders=.*x-amzn-bedrock-agentcore-runtime-session-id.*, Signature=[0-9a-f]{64}$/,
    );
    expect(seen[0]?.session).toBe(reply.body.session_id);
    expect(seen[0]?.session.length).toBeGreaterThanOrEqual(33);
    expect(seen[0]).toMatchObject({ contentType: 'application/json', accept: 'text/event-stream' });
  });

  it('books only after the yes, answered by another chat instance, through the runtime', async () => {
    model.push(
      { toolCalls: [{ name: 'list_projects', input: {} }] },
      { toolCalls: [{ name: 'get_available_dates', input: { project_id: '12350' } }] },
      { toolCalls: [{ name: 'get_time_slots', input: { project_id: '12350', date: '2026-12-02' } }] },
      {
        text: 'I can book Wednesday at 10:00 AM.',
        toolCalls: [
          { name: 'confirm_appointment', input: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' } },
        ],
      },
      { text: 'You are booked.' },
    );

    const asked = await post(chat(), '/chat', { message: 'Book my roof for Wednesday at 10' });
    const beforeYes = pf360.matching('POST', pf360Paths.schedule).length;
    const booked = await post(chat(), '/chat/confirm', {
      session_id: asked.body.session_id,
      confirmation_id: asked.body.confirmation.confirmation_id,
      decision: 'confirm',
    });

    expect(asked.body).toMatchObject({
      type: 'confirmation_required',
      confirmation: { operation: 'confirm_appointment', details: { project_id: '12350', time: '10:00 AM' } },
    });
    expect(beforeYes).toBe(0);
    expect(booked).toMatchObject({ status: 200, body: { type: 'reply', reply: 'You are booked.' } });
    expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
    expect(new Set(seen.map((s) => s.session)).size).toBe(1);
  });

  it.each([
    [429, 'ThrottlingException', 429, 'agent_throttled'],
    [403, 'AccessDeniedException', 502, 'agent_access_denied'],
    [404, 'ResourceNotFoundException', 502, 'agent_not_found'],
    [409, 'RetryableConflictException', 409, 'agent_conflict'],
    [424, 'RuntimeClientError', 502, 'agent_error'],
  ])('answers AgentCore %i %s with the chat API error', async (status, type, expectedStatus, errorType) => {
    refuseNext = { status, type };

    const reply = await post(chat(), '/chat', { message: 'Hello' });

    expect(reply).toMatchObject({ status: expectedStatus, body: { error_type: errorType } });
    expect(reply.body.error).not.toContain('stand-in');
  });
});
