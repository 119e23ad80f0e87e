/**
 * A stand-in for the Bedrock supervisor that follows a fixed script but does what Bedrock does
 * with our action groups: it builds genuine action-group events (sessionId and session
 * attributes from the InvokeAgent call, values as strings), runs our real handlers, returns
 * control for writes marked x-requireConfirmation, and runs the write only on CONFIRM.
 */
import { randomUUID } from 'node:crypto';
import type { InvokeAgentCommandInput, ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { type ActionGroupName, buildBedrockEvent } from '../../src/bedrock/build-event.js';
import type { ActionHandler } from '../../src/bedrock/dispatch.js';
import { chunk, named } from './chat.js';

interface Call {
  group: ActionGroupName;
  operationId: string;
  values: Record<string, string>;
}

function operation(group: ActionGroupName, operationId: string) {
  const op = actionCatalog[group].find((o) => o.operationId === operationId);
  if (!op) throw new Error(`no ${operationId}`);
  return op;
}

/** What the script does for a message: call an action and say something, or ask to confirm a write. */
export type Step = { read: Call; say: (body: Record<string, unknown>) => string } | { write: Call; ask: string };

export function scriptedAgent(handlers: Record<ActionGroupName, ActionHandler>, script: (text: string) => Step) {
  const pending = new Map<string, Call & { invocationId: string }>();
  const invoked: { sessionId: string; apiPath: string; sessionAttributes: Record<string, string> }[] = [];

  async function run(
    input: InvokeAgentCommandInput,
    call: Call,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const op = operation(call.group, call.operationId);
    const sessionAttributes = input.sessionState?.sessionAttributes ?? {};
    invoked.push({ sessionId: input.sessionId ?? '', apiPath: op.apiPath, sessionAttributes });
    const envelope = await handlers[call.group](
      buildBedrockEvent({
        group: call.group,
        httpMethod: op.method,
        apiPath: op.apiPath,
        sessionId: input.sessionId ?? '',
        values: call.values,
        inputText: input.inputText ?? '',
        sessionAttributes,
        promptSessionAttributes: input.sessionState?.promptSessionAttributes ?? {},
        agent: { name: `pf360-${call.group}`, id: 'COLLAB0001', alias: 'LIVEALIAS1', version: '3' },
      }),
    );
    return {
      status: envelope.response.httpStatusCode,
      body: JSON.parse(envelope.response.responseBody['application/json'].body),
    };
  }

  async function respond(input: InvokeAgentCommandInput): Promise<ResponseStream[]> {
    const sessionId = input.sessionId ?? '';
    const results = input.sessionState?.returnControlInvocationResults;
    if (results) {
      const waiting = pending.get(sessionId);
      pending.delete(sessionId);
      if (!waiting || waiting.invocationId !== input.sessionState?.invocationId) throw named('ValidationException');
      if (results[0]?.apiResult?.confirmationState !== 'CONFIRM') return [chunk('All right, I left it as it was.')];
      const { body } = await run(input, waiting);
      return [
        { trace: { agentId: 'COLLAB0001', trace: { orchestrationTrace: {} } } } as ResponseStream,
        chunk(String(body.message ?? body.error)),
      ];
    }
    const step = script(input.inputText ?? '');
    if ('read' in step) {
      const { body } = await run(input, step.read);
      return [chunk(step.say(body))];
    }
    const op = operation(step.write.group, step.write.operationId);
    const invocationId = randomUUID();
    pending.set(sessionId, { ...step.write, invocationId });
    const properties = Object.entries(step.write.values).map(([name, value]) => ({ name, type: 'string', value }));
    return [
      chunk(step.ask),
      {
        returnControl: {
          invocationId,
          invocationInputs: [
            {
              apiInvocationInput: {
                actionGroup: step.write.group,
                apiPath: op.apiPath,
                httpMethod: op.method,
                actionInvocationType: 'USER_CONFIRMATION',
                agentId: 'COLLAB0001',
                collaboratorName: step.write.group,
                parameters: [],
                requestBody: { content: { 'application/json': { properties } } },
              },
            },
          ],
        },
      },
    ];
  }

  return { respond, invoked };
}
