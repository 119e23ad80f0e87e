/**
 * Where the stage checks run. Without TEST_STAGE they run inside `npm test`: the handlers
 * in-process against the run's local stack (Prism, DynamoDB Local). With TEST_STAGE, set by
 * `npm run test:stage -- --stage <stage>`, the very same checks drive that stage's deployed
 * Lambdas through the Lambda Invoke API, with sessions in the stage's own table.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { DynamoDbAuditLog } from '../../src/adapters/dynamodb/audit-log.js';
import { createDocumentClient } from '../../src/adapters/dynamodb/client.js';
import { DynamoDbSessionStore } from '../../src/adapters/dynamodb/session-store.js';
import type { ActionGroupName } from '../../src/bedrock/build-event.js';
import type { ActionHandler } from '../../src/bedrock/dispatch.js';
import type { BedrockActionResponse } from '../../src/bedrock/event.js';
import { newSessionId } from '../../src/domain/session-id.js';
import { createLogger, sessionRef } from '../../src/observability/logger.js';
import { actionEnv, callAction, factories } from '../helpers/actions.js';
import { responseViolations } from '../helpers/contract.js';
import { demoCustomer } from '../helpers/sessions.js';

/** What the stage does with bookings and cancellations (its ENABLE_REAL_* settings). */
export interface WriteSettings {
  realConfirm: boolean;
  realCancel: boolean;
}

export interface StageTarget {
  /** For test titles: "the local stack" or "stage dev". */
  label: string;
  handlers: Record<ActionGroupName, ActionHandler>;
}

export interface StageAnswer {
  status: number;
  body: Record<string, unknown>;
  /** Mismatches between the body and the spec's response schema for that status. */
  violations: string[];
}

/** Sends a Bedrock event to a deployed function and returns its envelope, as Bedrock would see it. */
export function lambdaActionHandler(client: LambdaClient, functionName: string): ActionHandler {
  return async (event) => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify(event)) }),
    );
    const text = new TextDecoder().decode(output.Payload ?? new Uint8Array());
    if (output.FunctionError) throw new Error(`${functionName} failed (${output.FunctionError}): ${text}`);
    return JSON.parse(text) as BedrockActionResponse;
  };
}

/** The deployed stage named by TEST_STAGE, or undefined for a run inside `npm test`. */
export function deployedStage(env = process.env): string | undefined {
  return env.TEST_STAGE?.trim() || undefined;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  return env[name] === 'true';
}

/**
 * The targets the write checks run against: locally both settings of the write flags; on a
 * deployed stage the settings it was deployed with (passed on by `npm run test:stage`).
 */
export function writeTargets(env = process.env): Array<StageTarget & { writes: WriteSettings }> {
  const stage = deployedStage(env);
  if (stage) {
    const writes = { realConfirm: flag(env, 'TEST_REAL_CONFIRM'), realCancel: flag(env, 'TEST_REAL_CANCEL') };
    return [{ ...deployedTarget(stage, env), writes }];
  }
  return [
    { realConfirm: false, realCancel: false },
    { realConfirm: true, realCancel: true },
  ].map((writes) => ({ ...localTarget(writes), writes }));
}

export function readTarget(env = process.env): StageTarget {
  const stage = deployedStage(env);
  return stage ? deployedTarget(stage, env) : localTarget({ realConfirm: false, realCancel: false });
}

function deployedTarget(stage: string, env: NodeJS.ProcessEnv): StageTarget {
  const client = new LambdaClient({});
  const prefix = env.TEST_FUNCTION_PREFIX ?? `pf360-agent-${stage}-`;
  const handlers = Object.fromEntries(
    (Object.keys(actionCatalog) as ActionGroupName[]).map((group) => [
      group,
      lambdaActionHandler(client, `${prefix}${group}`),
    ]),
  ) as Record<ActionGroupName, ActionHandler>;
  return { label: `stage ${stage}`, handlers };
}

function localTarget(writes: WriteSettings): StageTarget {
  const env = actionEnv({
    ENABLE_REAL_CONFIRM: String(writes.realConfirm),
    ENABLE_REAL_CANCEL: String(writes.realCancel),
  });
  const handlers = Object.fromEntries(
    (Object.keys(factories) as ActionGroupName[]).map((group) => [group, factories[group](env)]),
  ) as Record<ActionGroupName, ActionHandler>;
  return { label: 'the local stack', handlers };
}

/** Calls one operation by its operationId, with a genuine Bedrock event, and checks the answer against the spec. */
export async function call(
  target: StageTarget,
  group: ActionGroupName,
  operationId: string,
  sessionId: string,
  values: Record<string, unknown> = {},
): Promise<StageAnswer> {
  const { status, body } = await callAction(target.handlers[group], group, operationId, sessionId, values);
  return { status, body, violations: responseViolations(group, operationId, status, body) };
}

/**
 * A session for the checks, in the table the handlers read (SESSIONS_TABLE: the local stack's,
 * or the deployed stage's as its scheduling function is configured). Customer and PF360 token
 * come from TEST_CUSTOMER_ID, TEST_CLIENT_ID, TEST_CLIENT_NAME and PF360_TOKEN when given; the
 * demo customer of the specs otherwise.
 */
export function stageSessions(env = process.env) {
  const table = env.SESSIONS_TABLE ?? '';
  const documents = createDocumentClient();
  const store = new DynamoDbSessionStore(documents, table, 1800);
  return {
    async create(): Promise<string> {
      const session = await store.create(
        {
          sessionId: newSessionId(),
          customerId: env.TEST_CUSTOMER_ID ?? demoCustomer.customerId,
          clientId: env.TEST_CLIENT_ID ?? demoCustomer.clientId,
          clientName: env.TEST_CLIENT_NAME ?? demoCustomer.clientName,
          authToken: env.PF360_TOKEN ?? demoCustomer.authToken,
          stage: deployedStage(env) ?? 'test',
          timeZone: 'America/New_York',
        },
        new Date(),
      );
      return session.sessionId;
    },
    async remove(sessionId: string): Promise<void> {
      await documents.send(new DeleteCommand({ TableName: table, Key: { session_id: sessionId } }));
    },
  };
}

/**
 * The audit trail the stage writes (AUDIT_TABLE: the local stack's, or the deployed stage's as its
 * scheduling function is configured): the outcomes of one operation in one session, oldest first.
 */
export function stageAudit(env = process.env) {
  const audit = new DynamoDbAuditLog(createDocumentClient(), env.AUDIT_TABLE ?? '', 730, createLogger('stage-audit'));
  return {
    async outcomes(sessionId: string, projectId: string, operation: string): Promise<string[]> {
      const entries = await audit.listForProject(env.TEST_CLIENT_ID ?? demoCustomer.clientId, projectId);
      return entries
        .filter((e) => e.sessionRef === sessionRef(sessionId) && e.operation === operation)
        .map((e) => e.outcome);
    },
  };
}
