/**
 * Completion events as a Bedrock Agents (Classic) supervisor streams them with `enableTrace`:
 * the supervisor's own orchestration (its model, its rationale, handing over to a collaborator),
 * each collaborator action-group invocation and its observation (the Lambda's answer), a
 * returnControl asking for the customer's confirmation of a write marked x-requireConfirmation,
 * and the final chunk. Shapes as in the SDK's TracePart / OrchestrationTrace / ReturnControlPayload
 * (values are always strings; path and query parameters in `parameters`, a POST body's top-level
 * properties in `requestBody.content['application/json']`; verbs as the trace writes them).
 */
import type { Parameter, ResponseStream } from '@aws-sdk/client-bedrock-agent-runtime';
import { actionCatalog } from '../../generated/catalog/actions.js';

const supervisorArn = 'arn:aws:bedrock:us-east-1:123456789012:agent-alias/SUPERV0001/ALIASSUP01';
const collaboratorArn = 'arn:aws:bedrock:us-east-1:123456789012:agent-alias/SCHED00001/ALIASSCH01';

type Group = keyof typeof actionCatalog;

function operation(operationId: string): { group: Group; method: string; apiPath: string; hasBody: boolean } {
  for (const [group, operations] of Object.entries(actionCatalog)) {
    const op = operations.find((o) => o.operationId === operationId);
    if (op) return { group: group as Group, method: op.method, apiPath: op.apiPath, hasBody: op.hasBody };
  }
  throw new Error(`no operation ${operationId}`);
}

const parameters = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([name, value]) => ({ name, type: 'string', value }));

function collaboratorTrace(orchestrationTrace: Record<string, unknown>): ResponseStream {
  return {
    trace: {
      agentId: 'SCHED00001',
      agentAliasId: 'ALIASSCH01',
      agentVersion: '3',
      sessionId: 'session-1',
      collaboratorName: 'scheduling-agent',
      callerChain: [{ agentAliasArn: supervisorArn }, { agentAliasArn: collaboratorArn }],
      trace: { orchestrationTrace },
    } as never,
  };
}

/** The supervisor thinking and handing the request over to its collaborator: no action of its own. */
export function supervisorRouting(traceId: string): ResponseStream[] {
  const part = (orchestrationTrace: Record<string, unknown>): ResponseStream => ({
    trace: {
      agentId: 'SUPERV0001',
      agentAliasId: 'ALIASSUP01',
      agentVersion: '3',
      sessionId: 'session-1',
      callerChain: [{ agentAliasArn: supervisorArn }],
      trace: { orchestrationTrace },
    } as never,
  });
  return [
    part({ modelInvocationInput: { traceId, type: 'ORCHESTRATION', text: '{"system": "…"}' } }),
    part({ rationale: { traceId, text: 'The customer wants an appointment; the scheduling agent handles that.' } }),
    part({
      invocationInput: {
        traceId,
        invocationType: 'AGENT_COLLABORATOR',
        agentCollaboratorInvocationInput: {
          agentCollaboratorName: 'scheduling-agent',
          agentCollaboratorAliasArn: collaboratorArn,
          input: { type: 'TEXT', text: 'Book the roofing job.' },
        },
      },
    }),
  ];
}

/**
 * A collaborator's action-group call as the trace shows it: the invocation (the tool and its
 * values) and, unless it only returned control, the observation with the Lambda's answer.
 */
export function action(
  traceId: string,
  operationId: string,
  values: Record<string, string> = {},
  answer?: unknown,
  options: { executionType?: 'LAMBDA' | 'RETURN_CONTROL'; invocationId?: string } = {},
): ResponseStream[] {
  const op = operation(operationId);
  const invocation = collaboratorTrace({
    invocationInput: {
      traceId,
      invocationType: 'ACTION_GROUP',
      actionGroupInvocationInput: {
        actionGroupName: op.group,
        verb: op.method.toLowerCase(),
        apiPath: op.apiPath,
        ...(op.hasBody
          ? { requestBody: { content: { 'application/json': parameters(values) } } }
          : { parameters: parameters(values) }),
        executionType: options.executionType ?? 'LAMBDA',
        ...(options.invocationId ? { invocationId: options.invocationId } : {}),
      },
    },
  });
  if (answer === undefined) return [invocation];
  return [
    invocation,
    collaboratorTrace({
      observation: {
        traceId,
        type: 'ACTION_GROUP',
        actionGroupInvocationOutput: { text: typeof answer === 'string' ? answer : JSON.stringify(answer) },
      },
    }),
  ];
}

/** Bedrock returning control to ask the customer to confirm a write (x-requireConfirmation: ENABLED). */
export function askToConfirm(
  invocationId: string,
  operationId: string,
  values: Record<string, string>,
): ResponseStream {
  const op = operation(operationId);
  return {
    returnControl: {
      invocationId,
      invocationInputs: [
        {
          apiInvocationInput: {
            actionGroup: op.group,
            httpMethod: op.method,
            apiPath: op.apiPath,
            ...(op.hasBody
              ? { requestBody: { content: { 'application/json': { properties: parameters(values) } } } }
              : { parameters: parameters(values) }),
            actionInvocationType: 'USER_CONFIRMATION',
            agentId: 'SCHED00001',
            collaboratorName: 'scheduling-agent',
          },
        },
      ],
    },
  };
}

export const finalAnswer = (text: string): ResponseStream => ({ chunk: { bytes: new TextEncoder().encode(text) } });
