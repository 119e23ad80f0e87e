/**
 * `sls package` for every variant — each stage on both agent platforms (classic, agentcore), with
 * and without the AgentCore Gateway — offline and without AWS credentials, then assertions on
 * what would be deployed: the compiled CloudFormation templates (as CloudFormation would apply
 * them for that variant: test/packaging/template.ts), the Lambda bundles and the AgentCore
 * Runtime's zip. All variants are packaged once, in beforeAll, or reused from .local/packages/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import { actionGroups, repoRoot } from '../../scripts/lib/specs.js';
import {
  cfnLintVersion,
  installHint,
  isDefaultVariant,
  lintTemplates,
  lintVariants,
  type Platform,
  packageVariants,
  type Stage,
  stages,
  type Variant,
  variantName,
  variants,
  withLiteralFunctionArns,
} from '../../scripts/lint-cfn.js';
import { type Cfn, effective, referencedIds, type Template } from './template.js';
import { readZip } from './zip.js';

interface Packaged {
  variant: Variant;
  dir: string;
  templatePath: string;
  templateText: string;
  /** The compiled template: every resource, with its Condition. */
  raw: Template;
  /** What CloudFormation creates from it for this variant. */
  template: Template;
  stateText: string;
  state: Cfn;
}

const require = createRequire(import.meta.url);
const agentsResolver = require('../../scripts/serverless/agents.cjs') as {
  loadAgentFiles(): { instructions: Record<string, string>; payloads: Record<string, string> };
  definitionHashes(files: unknown, settings: unknown): Record<string, string>;
  modelInvokeStatements(modelId: string, regions: string[]): Cfn[];
};
const guardrailResolver = require('../../scripts/serverless/guardrail.cjs') as {
  resolveGuardrail(settings: unknown): Record<string, Cfn>;
  settingsHash(policy: unknown): string;
};

const gatewayCondition = 'AgentCoreGatewayEnabled';
const functions = {
  scheduling: { logicalId: 'SchedulingLambdaFunction', handler: 'src/action-groups/scheduling/handler.handler' },
  information: { logicalId: 'InformationLambdaFunction', handler: 'src/action-groups/information/handler.handler' },
  notes: { logicalId: 'NotesLambdaFunction', handler: 'src/action-groups/notes/handler.handler' },
  chat: { logicalId: 'ChatLambdaFunction', handler: 'src/chat/handler.handler' },
  // With the Gateway only (infra/agentcore-gateway.yml): compiled in every variant, created only then.
  agentcore: { logicalId: 'AgentcoreLambdaFunction', handler: 'src/agentcore/handler.handler' },
  agentcoreInterceptor: {
    logicalId: 'AgentcoreInterceptorLambdaFunction',
    handler: 'src/agentcore/interceptor-handler.handler',
  },
} as const;
type FunctionName = keyof typeof functions;
const functionNames = Object.keys(functions) as FunctionName[];
const gatewayFunctions: FunctionName[] = ['agentcore', 'agentcoreInterceptor'];
const deployedName = (stage: Stage, fn: FunctionName) =>
  `pf360-agent-${stage}-${fn === 'agentcoreInterceptor' ? 'agentcore-interceptor' : fn}`;
const roleOf = (fn: FunctionName) => `${fn[0]?.toUpperCase()}${fn.slice(1)}FunctionRole`;
const timeoutOf = (fn: FunctionName) => (fn === 'chat' ? 29 : fn === 'agentcoreInterceptor' ? 10 : 45);
const agentLogicalIds = { scheduling: 'SchedulingAgent', information: 'InformationAgent', notes: 'NotesAgent' };
const classicOnly = [
  'SchedulingAgent',
  'SchedulingAgentAlias',
  'InformationAgent',
  'InformationAgentAlias',
  'NotesAgent',
  'NotesAgentAlias',
  'SupervisorAgent',
  'SupervisorAgentAlias',
  'SchedulingBedrockInvokePermission',
  'InformationBedrockInvokePermission',
  'NotesBedrockInvokePermission',
  'CollaboratorAgentRole',
  'SupervisorAgentRole',
];
const agentcoreOnly = ['AgentRuntimeRole', 'AgentRuntime', 'AgentRuntimeLogGroup', 'AgentRuntimeEndpoint'];
const gatewayOnly = [
  'GatewayRole',
  'Gateway',
  'GatewayTarget',
  'AgentcoreFunctionRole',
  'AgentcoreInterceptorFunctionRole',
  'AgentcoreLambdaFunction',
  'AgentcoreInterceptorLambdaFunction',
  'AgentcoreLogGroup',
  'AgentcoreInterceptorLogGroup',
];
const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const modelRegions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'];

/**
 * Size budget per function zip. Measured on 2026-11-25: 241-247 KB zipped, 754-792 KB unzipped
 * (one minified handler.js each). About 70 % of every bundle is the AWS SDK v3, bundled on
 * purpose (serverless.yml): @smithy/core ~27 %, client-dynamodb ~12 %, nested-clients ~8 %,
 * @aws-sdk/core ~7 %, bowser ~5 %, plus client-bedrock-agent-runtime ~12 % in chat; the
 * generated validators are ~10 % of scheduling. The budget leaves ~60 % headroom: crossing it
 * means a new dependency worth a look, not routine growth.
 */
const zipBudgetBytes = 400 * 1024;
const unzippedBudgetBytes = 1_250 * 1024;

const byName = new Map<string, Packaged>();
/** Each stage as `npm run package -- --stage <stage>` builds it: classic, no Gateway. */
const packaged = {} as Record<Stage, Packaged>;
let workDir = '';

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pf360-packaging-'));
  // Two at a time (packaging is CPU-bound; each run has its own temporary service folder), or
  // reused: CI's lint:cfn step has packaged the same sources already (packagedStage).
  const dirs = await packageVariants(variants);
  for (const [i, variant] of variants.entries()) {
    const dir = dirs[i] as string;
    const templatePath = join(dir, 'cloudformation-template-update-stack.json');
    const templateText = readFileSync(templatePath, 'utf8');
    const stateText = readFileSync(join(dir, 'serverless-state.json'), 'utf8');
    const raw = JSON.parse(templateText) as Template;
    const entry: Packaged = {
      variant,
      dir,
      templatePath,
      templateText,
      raw,
      template: effective(raw, variant.platform, variant.gateway),
      stateText,
      state: JSON.parse(stateText),
    };
    byName.set(variantName(variant), entry);
    if (isDefaultVariant(variant)) packaged[variant.stage] = entry;
  }
}, 1_200_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function variantOf(stage: Stage, platform: Platform, gateway: boolean): Packaged {
  const found = byName.get(variantName({ stage, platform, gateway }));
  if (!found) throw new Error(`${variantName({ stage, platform, gateway })} was not packaged`);
  return found;
}
const resources = (stage: Stage) => packaged[stage].template.Resources;
const ofType = (p: Packaged, type: string) => Object.entries(p.template.Resources).filter(([, r]) => r.Type === type);
const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
const sub = (text: string) => ({ 'Fn::Sub': text });
const envOf = (p: Packaged, fn: FunctionName): Record<string, Cfn> =>
  p.template.Resources[functions[fn].logicalId].Properties.Environment.Variables;
/** A function's environment in a variant that creates it (the Gateway's functions need one with the Gateway). */
const env = (stage: Stage, fn: FunctionName) =>
  envOf(gatewayFunctions.includes(fn) ? variantOf(stage, 'classic', true) : packaged[stage], fn);
const statementsOf = (role: Cfn): Cfn[] => role.Properties.Policies.flatMap((p: Cfn) => p.PolicyDocument.Statement);
const ownLogs = (stage: Stage, fn: FunctionName) => ({
  Sid: 'OwnLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: [
    sub(
      `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${deployedName(stage, fn)}:*`,
    ),
  ],
});
const sessionsReadUpdate = {
  Sid: 'Sessions',
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  Resource: [getAtt('SessionsTable', 'Arn')],
};
const sessionsCreateReadUpdate = {
  ...sessionsReadUpdate,
  Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
};
const idempotencyAndAudit = [
  {
    Sid: 'Idempotency',
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    Resource: [getAtt('IdempotencyTable', 'Arn')],
  },
  { Sid: 'Audit', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [getAtt('AuditTable', 'Arn')] },
];
const writerStatements = [sessionsReadUpdate, ...idempotencyAndAudit];
const lambdaTrust = [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }];
const agentcoreTrust = (sourceArn: string) => [
  {
    Effect: 'Allow',
    Principal: { Service: 'bedrock-agentcore.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': sub(
          `arn:\${AWS::Partition}:bedrock-agentcore:\${AWS::Region}:\${AWS::AccountId}:${sourceArn}`,
        ),
      },
    },
  },
];
const sha256 = (data: Buffer, encoding: 'hex' | 'base64' = 'hex') => createHash('sha256').update(data).digest(encoding);

/** What each stage is for (serverless.yml params): only these values differ between stages. */
const stageIntent: Record<
  Stage,
  { mock: string; confirm: string; cancel: string; pf360: string; trace: string; logLevels: string[]; issuer: string }
> = {
  dev: {
    mock: 'true',
    confirm: 'false',
    cancel: 'false',
    pf360: 'https://api.dev.projectsforce.com',
    trace: 'true',
    logLevels: ['DEBUG'],
    issuer: 'https://api.dev.projectsforce.com',
  },
  qa: {
    mock: 'false',
    confirm: 'false',
    cancel: 'false',
    pf360: 'https://api.qa.projectsforce.com',
    trace: 'true',
    logLevels: ['DEBUG', 'INFO'],
    issuer: 'https://api.qa.projectsforce.com',
  },
  staging: {
    mock: 'false',
    confirm: 'true',
    cancel: 'true',
    pf360: 'https://api.staging.projectsforce.com',
    trace: 'true',
    logLevels: ['DEBUG', 'INFO'],
    issuer: 'https://api.staging.projectsforce.com',
  },
  prod: {
    mock: 'false',
    confirm: 'true',
    cancel: 'true',
    pf360: 'https://api.projectsforce.com',
    trace: 'false',
    logLevels: ['INFO', 'WARN'],
    issuer: 'https://api.projectsforce.com',
  },
};

describe.each(stages)('stage %s by default (classic, no Gateway): compiled template', (stage) => {
  it('stays on the classic platform without the Gateway unless a deploy says otherwise', () => {
    const { Parameters = {}, Conditions = {} } = packaged[stage].raw;
    expect(Parameters.AgentPlatform).toMatchObject({ Default: 'classic', AllowedValues: ['classic', 'agentcore'] });
    expect(Parameters.AgentCoreGateway).toMatchObject({ Default: 'false', AllowedValues: ['true', 'false'] });
    expect(Conditions).toEqual({
      ClassicPlatform: { 'Fn::Equals': [{ Ref: 'AgentPlatform' }, 'classic'] },
      AgentCorePlatform: { 'Fn::Equals': [{ Ref: 'AgentPlatform' }, 'agentcore'] },
      AgentCoreGatewayEnabled: { 'Fn::Equals': [{ Ref: 'AgentCoreGateway' }, 'true'] },
    });
  });

  it('has the functions on nodejs22.x with their handlers, names, memory and timeouts', () => {
    const raw = packaged[stage].raw.Resources;
    const lambdas = Object.entries(raw).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(lambdas.map(([id]) => id).sort()).toEqual(functionNames.map((f) => functions[f].logicalId).sort());
    for (const fn of functionNames) {
      const resource = raw[functions[fn].logicalId];
      expect(resource.Condition, fn).toBe(gatewayFunctions.includes(fn) ? gatewayCondition : undefined);
      const props = resource.Properties;
      expect(props.Runtime, fn).toBe('nodejs22.x');
      expect(props.Architectures, fn).toEqual(['arm64']);
      expect(props.Handler, fn).toBe(functions[fn].handler);
      expect(props.FunctionName, fn).toBe(deployedName(stage, fn));
      expect(props.MemorySize, fn).toBe(512);
      expect(props.Timeout, fn).toBe(timeoutOf(fn));
      expect(props.Role, fn).toEqual(getAtt(roleOf(fn), 'Arn'));
    }
  });

  it('creates the three tables on demand with TTL, point-in-time recovery and encryption', () => {
    const expected = {
      SessionsTable: { name: `pf360-${stage}-sessions`, ttl: 'expires_at' },
      IdempotencyTable: { name: `pf360-${stage}-idempotency`, ttl: 'expiration' },
      AuditTable: { name: `pf360-${stage}-audit`, ttl: 'expires_at' },
    };
    const tables = ofType(packaged[stage], 'AWS::DynamoDB::Table');
    expect(tables.map(([id]) => id).sort()).toEqual(Object.keys(expected).sort());
    for (const [id, table] of tables) {
      const want = expected[id as keyof typeof expected];
      expect(table.Properties.TableName, id).toBe(want.name);
      expect(table.Properties.BillingMode, id).toBe('PAY_PER_REQUEST');
      expect(table.Properties.TimeToLiveSpecification, id).toEqual({ AttributeName: want.ttl, Enabled: true });
      expect(table.Properties.PointInTimeRecoverySpecification, id).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.Properties.SSESpecification, id).toEqual({ SSEEnabled: true });
    }
    // The audit trail outlives the stack (730-day retention); the others are scratch state.
    expect(resources(stage).AuditTable.DeletionPolicy).toBe('Retain');
    expect(resources(stage).AuditTable.UpdateReplacePolicy).toBe('Retain');
  });

  it('gives every function its own role with exactly the statements it needs', () => {
    const r = resources(stage);
    expect(r.IamRoleLambdaExecution, 'no shared default role').toBeUndefined();
    expect(statementsOf(r.SchedulingFunctionRole)).toEqual([ownLogs(stage, 'scheduling'), ...writerStatements]);
    expect(statementsOf(r.NotesFunctionRole)).toEqual([ownLogs(stage, 'notes'), ...writerStatements]);
    expect(statementsOf(r.InformationFunctionRole)).toEqual([ownLogs(stage, 'information'), sessionsReadUpdate]);
    expect(statementsOf(r.ChatFunctionRole)).toEqual([
      ownLogs(stage, 'chat'),
      sessionsCreateReadUpdate,
      {
        Sid: 'InvokeSupervisor',
        Effect: 'Allow',
        Action: ['bedrock:InvokeAgent'],
        Resource: [getAtt('SupervisorAgentAlias', 'AgentAliasArn')],
      },
    ]);
    for (const id of ['SchedulingFunctionRole', 'NotesFunctionRole', 'InformationFunctionRole', 'ChatFunctionRole']) {
      expect(r[id].Properties.AssumeRolePolicyDocument.Statement, id).toEqual(lambdaTrust);
    }
  });

  it('keeps the information role away from the idempotency and audit tables', () => {
    const text = JSON.stringify(resources(stage).InformationFunctionRole);
    expect(text).not.toMatch(/IdempotencyTable|AuditTable|PutItem|DeleteItem/);
    expect(Object.keys(env(stage, 'information'))).not.toEqual(
      expect.arrayContaining(['IDEMPOTENCY_TABLE', 'AUDIT_TABLE', 'ENABLE_REAL_CONFIRM']),
    );
  });

  it('lets Bedrock assume the agent roles for this account only, for the model, the guardrail and the collaborators', () => {
    const r = resources(stage);
    for (const id of ['CollaboratorAgentRole', 'SupervisorAgentRole']) {
      expect(r[id].Properties.AssumeRolePolicyDocument.Statement, id).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'bedrock.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ]);
    }
    const model = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
    const invoke = statementsOf(r.CollaboratorAgentRole).find(
      (s: Cfn) => s.Sid === 'InvokeModelThroughInferenceProfile',
    );
    expect(invoke.Resource).toEqual([
      sub(`arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:inference-profile/us.${model}`),
      ...modelRegions.map((region) => sub(`arn:\${AWS::Partition}:bedrock:${region}::foundation-model/${model}`)),
    ]);
    for (const id of ['CollaboratorAgentRole', 'SupervisorAgentRole']) {
      expect(
        statementsOf(r[id]).filter((s: Cfn) => s.Sid === 'ApplyGuardrail'),
        id,
      ).toEqual([
        {
          Sid: 'ApplyGuardrail',
          Effect: 'Allow',
          Action: ['bedrock:ApplyGuardrail'],
          Resource: [getAtt('Guardrail', 'GuardrailArn')],
        },
      ]);
    }
    const supervisor = statementsOf(r.SupervisorAgentRole);
    expect(supervisor.filter((s: Cfn) => s.Sid !== 'InvokeCollaborators')).toEqual(
      statementsOf(r.CollaboratorAgentRole),
    );
    expect(supervisor.find((s: Cfn) => s.Sid === 'InvokeCollaborators')).toEqual({
      Sid: 'InvokeCollaborators',
      Effect: 'Allow',
      Action: ['bedrock:GetAgentAlias', 'bedrock:InvokeAgent'],
      Resource: actionGroups.map((g) => getAtt(`${agentLogicalIds[g]}Alias`, 'AgentAliasArn')),
    });
  });

  it('feeds each action group its spec file byte for byte and its own Lambda', () => {
    const files = agentsResolver.loadAgentFiles();
    for (const group of actionGroups) {
      const agent = resources(stage)[agentLogicalIds[group]];
      expect(agent.Type).toBe('AWS::Bedrock::Agent');
      const [actionGroup, ...others] = agent.Properties.ActionGroups;
      expect(others).toEqual([]);
      expect(actionGroup.ActionGroupName).toBe(group);
      expect(actionGroup.ActionGroupName).toMatch(/^([0-9a-zA-Z][_-]?){1,100}$/);
      expect(actionGroup.ActionGroupState).toBe('ENABLED');
      expect(actionGroup.ActionGroupExecutor).toEqual({ Lambda: getAtt(functions[group].logicalId, 'Arn') });
      expect(typeof actionGroup.ApiSchema.Payload).toBe('string');
      expect(actionGroup.ApiSchema.Payload).toBe(readFileSync(join(repoRoot, `openapi/actions/${group}.yaml`), 'utf8'));
      expect(agent.Properties.Instruction).toBe(files.instructions[group]);
    }
  });

  it('prepares every agent automatically, on the model, with the sessions TTL, its own role and the guardrail', () => {
    const agents = ofType(packaged[stage], 'AWS::Bedrock::Agent');
    expect(agents.map(([id]) => id).sort()).toEqual(
      ['InformationAgent', 'NotesAgent', 'SchedulingAgent', 'SupervisorAgent'].sort(),
    );
    for (const [id, agent] of agents) {
      expect(agent.Properties.AutoPrepare, id).toBe(true);
      expect(agent.Properties.FoundationModel, id).toBe(modelId);
      expect(agent.Properties.IdleSessionTTLInSeconds, id).toBe(1800);
      expect(agent.Properties.AgentName, id).toMatch(new RegExp(`^pf360-agent-${stage}-[a-z]+$`));
      expect(agent.Properties.AgentResourceRoleArn, id).toEqual(
        getAtt(id === 'SupervisorAgent' ? 'SupervisorAgentRole' : 'CollaboratorAgentRole', 'Arn'),
      );
      // A numbered version, never the editable DRAFT.
      expect(agent.Properties.GuardrailConfiguration, id).toEqual({
        GuardrailIdentifier: getAtt('Guardrail', 'GuardrailId'),
        GuardrailVersion: getAtt('GuardrailVersion', 'Version'),
      });
    }
  });

  it('gives the supervisor the three collaborators by alias ARN, and no action group', () => {
    const supervisor = resources(stage).SupervisorAgent.Properties;
    expect(supervisor.ActionGroups).toBeUndefined();
    expect(supervisor.AgentCollaboration).toBe('SUPERVISOR');
    expect(supervisor.Instruction).toBe(agentsResolver.loadAgentFiles().instructions.supervisor);
    expect(
      supervisor.AgentCollaborators.map((c: Cfn) => ({ name: c.CollaboratorName, alias: c.AgentDescriptor.AliasArn })),
    ).toEqual(actionGroups.map((g) => ({ name: g, alias: getAtt(`${agentLogicalIds[g]}Alias`, 'AgentAliasArn') })));
    for (const collaborator of supervisor.AgentCollaborators) {
      expect(collaborator.RelayConversationHistory).toBe('TO_COLLABORATOR');
      expect(collaborator.CollaborationInstruction.length).toBeGreaterThan(40);
    }
  });

  it('puts each agent definition hash, guardrail included, in its alias Description', () => {
    const files = agentsResolver.loadAgentFiles();
    const settings = packaged[stage].state.service.custom.agents;
    const version = resources(stage).GuardrailVersion.Properties.Description;
    expect(version).toBe(`Settings sha256 ${settings.guardrail}`);
    const hashes = agentsResolver.definitionHashes(files, settings);
    const aliases = ofType(packaged[stage], 'AWS::Bedrock::AgentAlias');
    expect(aliases).toHaveLength(4);
    for (const [name, agentId] of Object.entries({ supervisor: 'SupervisorAgent', ...agentLogicalIds })) {
      const alias = resources(stage)[`${agentId}Alias`].Properties;
      expect(alias.AgentId).toEqual(getAtt(agentId, 'AgentId'));
      expect(alias.AgentAliasName).toBe('live');
      expect(alias.RoutingConfiguration, 'no pinned version').toBeUndefined();
      expect(alias.Description).toContain(`sha256 ${hashes[name]}`);
      expect(alias.Description.length).toBeLessThanOrEqual(200);
    }
  });

  it('lets Bedrock invoke each action-group Lambda only for its own agent in this account', () => {
    const permissions = ofType(packaged[stage], 'AWS::Lambda::Permission');
    for (const [id, permission] of permissions) expect(permission.Properties.SourceArn, id).toBeDefined();
    const bedrock = permissions.filter(([, p]) => p.Properties.Principal === 'bedrock.amazonaws.com');
    expect(bedrock.map(([, p]) => p.Properties)).toEqual(
      actionGroups.map((g) => ({
        Action: 'lambda:InvokeFunction',
        FunctionName: getAtt(functions[g].logicalId, 'Arn'),
        Principal: 'bedrock.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: getAtt(agentLogicalIds[g], 'AgentArn'),
      })),
    );
    const others = permissions.filter(([, p]) => p.Properties.Principal !== 'bedrock.amazonaws.com');
    expect(others.map(([, p]) => [p.Properties.Principal, p.Properties.FunctionName])).toEqual([
      ['apigateway.amazonaws.com', getAtt('ChatLambdaFunction', 'Arn')],
    ]);
  });

  it('routes the HTTP API exactly as openapi/chat.yaml declares, to the chat Lambda', () => {
    const spec = parse(readFileSync(join(repoRoot, 'openapi/chat.yaml'), 'utf8')) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const declared = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routes = ofType(packaged[stage], 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual(declared.sort());
    const integrations = ofType(packaged[stage], 'AWS::ApiGatewayV2::Integration').map(
      ([, i]) => i.Properties.IntegrationUri,
    );
    expect(integrations).toEqual([getAtt('ChatLambdaFunction', 'Arn')]);
  });

  it('configures the chat Lambda with the supervisor alias, the JWKS and no shared secret', () => {
    const chat = env(stage, 'chat');
    expect(chat.AGENT_PLATFORM).toBe('classic');
    expect(chat.AGENT_ID).toEqual(getAtt('SupervisorAgent', 'AgentId'));
    expect(chat.AGENT_ALIAS_ID).toEqual(getAtt('SupervisorAgentAlias', 'AgentAliasId'));
    expect(chat.AGENT_RUNTIME_ARN).toBeUndefined();
    expect(chat.AGENT_RUNTIME_QUALIFIER).toBeUndefined();
    expect(chat.JWT_JWKS_URL).toBe(`${stageIntent[stage].issuer}/.well-known/jwks.json`);
    expect(chat.JWT_ISSUER).toBe(stageIntent[stage].issuer);
    expect(chat.JWT_AUDIENCE).toBeTruthy();
    expect(Number(chat.RATE_LIMIT_PER_MINUTE)).toBeGreaterThan(0);
    expect(chat.SESSIONS_TABLE).toBe(`pf360-${stage}-sessions`);
    expect(chat.SESSION_TTL_SECONDS).toBe('1800');
    expect(packaged[stage].templateText).not.toContain('JWT_HS256_SECRET');
    expect(packaged[stage].stateText).not.toContain('JWT_HS256_SECRET');
  });

  it('sets the stage intent: mock or real PF360, write flags, traces, log level', () => {
    const intent = stageIntent[stage];
    for (const fn of actionGroups) {
      const vars = env(stage, fn);
      expect(vars.STAGE, fn).toBe(stage);
      expect(vars.USE_MOCK_API, fn).toBe(intent.mock);
      expect(vars.PF360_BASE_URL, fn).toBe(intent.pf360);
      expect(vars.WEATHER_BASE_URL, fn).toBe('https://api.open-meteo.com');
      expect(vars.GEOCODING_BASE_URL, fn).toBe('https://geocoding-api.open-meteo.com');
      expect(vars.PF360_TIME_ZONE, fn).toBe('Asia/Kolkata');
      expect(intent.logLevels, fn).toContain(vars.POWERTOOLS_LOG_LEVEL);
    }
    for (const fn of ['scheduling', 'notes'] as const) {
      const vars = env(stage, fn);
      expect(vars.ENABLE_REAL_CONFIRM, fn).toBe(intent.confirm);
      expect(vars.ENABLE_REAL_CANCEL, fn).toBe(intent.cancel);
      expect(vars.IDEMPOTENCY_TABLE, fn).toBe(`pf360-${stage}-idempotency`);
      expect(vars.AUDIT_TABLE, fn).toBe(`pf360-${stage}-audit`);
    }
    expect(env(stage, 'chat').ENABLE_TRACE).toBe(intent.trace);
  });
});

describe.each(variants.map((v) => [variantName(v), v] as const))('%s: what the variant creates', (_, variant) => {
  const p = () => variantOf(variant.stage, variant.platform, variant.gateway);
  const { stage, platform, gateway } = variant;

  it('takes its platform and Gateway setting from the params it was packaged with', () => {
    const { Parameters = {} } = p().raw;
    expect(Parameters.AgentPlatform.Default).toBe(platform);
    expect(Parameters.AgentCoreGateway.Default).toBe(String(gateway));
    expect(p().template.Outputs?.AgentPlatform).toEqual({ Value: platform });
  });

  it('creates the platform’s agent and nothing of the other platform', () => {
    const r = p().template.Resources;
    const classic = platform === 'classic';
    for (const id of classicOnly) expect(r[id] !== undefined, id).toBe(classic);
    for (const id of agentcoreOnly) expect(r[id] !== undefined, id).toBe(!classic);
    for (const id of gatewayOnly) expect(r[id] !== undefined, id).toBe(gateway);
    const types = Object.values(r).map((resource: Cfn) => resource.Type);
    expect(types.filter((t) => t === 'AWS::Bedrock::Agent' || t === 'AWS::Bedrock::AgentAlias')).toHaveLength(
      classic ? 8 : 0,
    );
    expect(types.filter((t) => t.startsWith('AWS::BedrockAgentCore::'))).toHaveLength(
      (classic ? 0 : 2) + (gateway ? 2 : 0),
    );
    // Whatever is created refers only to what is created too.
    for (const [id, resource] of Object.entries(r)) {
      const dependsOn: string[] = [resource.DependsOn ?? []].flat();
      for (const ref of [...referencedIds(resource), ...dependsOn]) {
        if (ref.startsWith('AWS::') || ref in (p().raw.Parameters ?? {})) continue;
        expect(r[ref], `${id} refers to ${ref}`).toBeDefined();
      }
    }
    const outputs = Object.keys(p().template.Outputs ?? {});
    expect(outputs.includes('SupervisorAgentAliasId')).toBe(classic);
    expect(outputs.includes('AgentRuntimeArn')).toBe(!classic);
    expect(outputs.includes('AgentRuntimeEndpointArn')).toBe(!classic);
    expect(outputs.includes('GatewayUrl')).toBe(gateway);
    expect(outputs).toEqual(expect.arrayContaining(['GuardrailId', 'GuardrailVersion', 'HttpApiUrl']));
  });

  it('lets the chat Lambda call exactly its platform’s agent, and tells it which one', () => {
    const r = p().template.Resources;
    const chatEnv = envOf(p(), 'chat');
    const [logs, sessions, invoke, ...rest] = statementsOf(r.ChatFunctionRole);
    expect([logs, sessions]).toEqual([ownLogs(stage, 'chat'), sessionsCreateReadUpdate]);
    expect(rest).toEqual([]);
    expect(chatEnv.AGENT_PLATFORM).toBe(platform);
    if (platform === 'classic') {
      expect(invoke).toEqual({
        Sid: 'InvokeSupervisor',
        Effect: 'Allow',
        Action: ['bedrock:InvokeAgent'],
        Resource: [getAtt('SupervisorAgentAlias', 'AgentAliasArn')],
      });
      expect(chatEnv.AGENT_ID).toEqual(getAtt('SupervisorAgent', 'AgentId'));
      expect(chatEnv.AGENT_ALIAS_ID).toEqual(getAtt('SupervisorAgentAlias', 'AgentAliasId'));
      expect(Object.keys(chatEnv).filter((k) => k.startsWith('AGENT_RUNTIME'))).toEqual([]);
      return;
    }
    expect(invoke).toEqual({
      Sid: 'InvokeAgentRuntime',
      Effect: 'Allow',
      Action: ['bedrock-agentcore:InvokeAgentRuntime'],
      Resource: [getAtt('AgentRuntime', 'AgentRuntimeArn'), getAtt('AgentRuntimeEndpoint', 'AgentRuntimeEndpointArn')],
    });
    expect(chatEnv.AGENT_RUNTIME_ARN).toEqual(getAtt('AgentRuntime', 'AgentRuntimeArn'));
    expect(chatEnv.AGENT_RUNTIME_QUALIFIER).toBe(r.AgentRuntimeEndpoint.Properties.Name);
    expect(chatEnv.AGENT_ID).toBeUndefined();
    expect(chatEnv.AGENT_ALIAS_ID).toBeUndefined();
    expect(chatEnv.AGENT_PROVIDER, 'the chat calls the runtime, it does not run the agent').toBeUndefined();
  });

  it('has one guardrail built from the stage’s params, with a version that changes with its settings', () => {
    const r = p().template.Resources;
    const props = r.Guardrail.Properties;
    expect(Object.keys(props).sort(), 'only what the settings hash covers, plus names and tags').toEqual(
      [
        'BlockedInputMessaging',
        'BlockedOutputsMessaging',
        'ContentPolicyConfig',
        'Description',
        'Name',
        'Tags',
        'TopicPolicyConfig',
      ].sort(),
    );
    expect(props.Name).toBe(`pf360-agent-${stage}`);
    const settings = guardrailResolver.resolveGuardrail(p().state.service.custom.guardrail);
    expect(props.BlockedInputMessaging).toBe(settings.blockedInputMessaging);
    expect(props.BlockedOutputsMessaging).toBe(settings.blockedOutputsMessaging);
    expect(props.ContentPolicyConfig).toEqual(settings.contentPolicy);
    expect(props.TopicPolicyConfig).toEqual(settings.topicPolicy);
    const { Name: _n, Description: _d, Tags: _t, ...policy } = props;
    // Replaced versions stay for the agent versions cut with them.
    expect(r.GuardrailVersion.UpdateReplacePolicy).toBe('Retain');
    expect(r.GuardrailVersion.Properties).toEqual({
      GuardrailIdentifier: getAtt('Guardrail', 'GuardrailId'),
      Description: `Settings sha256 ${guardrailResolver.settingsHash(policy)}`,
    });
    const [promptAttack] = props.ContentPolicyConfig.FiltersConfig;
    expect(promptAttack).toEqual({ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' });
    const topics = props.TopicPolicyConfig.TopicsConfig.map((t: Cfn) => t.Name);
    expect(topics).toEqual(expect.arrayContaining(['Pricing disputes', 'Legal advice']));
  });
});

describe.each(variants.filter((v) => v.platform === 'agentcore').map((v) => [variantName(v), v] as const))(
  '%s: the AgentCore Runtime',
  (_, variant) => {
    const p = () => variantOf(variant.stage, variant.platform, variant.gateway);
    const { stage } = variant;
    const runtime = () => p().template.Resources.AgentRuntime.Properties;
    const zipPath = () => join(p().dir, 'agentcore', 'AgentRuntime.zip');
    const keyPrefix = `serverless/pf360-agent/${stage}/code-artifacts/agentcore`;

    it('runs the bundled zip from the deployment bucket under its content-addressed key, on NODE_22', () => {
      const zip = readFileSync(zipPath());
      expect(runtime().AgentRuntimeArtifact).toEqual({
        CodeConfiguration: {
          Runtime: 'NODE_22',
          EntryPoint: ['app.js'],
          Code: {
            S3: {
              Bucket: { Ref: 'ServerlessDeploymentBucket' },
              Prefix: `${keyPrefix}/AgentRuntime-${sha256(zip)}.zip`,
            },
          },
        },
      });
      expect(p().template.Resources.AgentRuntime.Metadata).toEqual({ AgentCoreArtifactSha256: sha256(zip) });
    });

    it('zips app.js alone, a regular rw-r--r-- file, valid CommonJS for node, the same bytes for every stage', () => {
      const entries = readZip(zipPath());
      expect(entries.map((e) => e.name)).toEqual(['app.js']);
      const zip = readFileSync(zipPath());
      const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      expect(zip.readUInt32LE(central + 38) >>> 16).toBe(0o100644);
      const folder = mkdtempSync(join(workDir, 'runtime-'));
      const file = join(folder, 'app.js');
      writeFileSync(file, entries[0]?.data ?? '');
      const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      // The code is the same everywhere: configuration lives in the environment only.
      expect(
        zip.equals(readFileSync(join(variantOf('dev', 'agentcore', false).dir, 'agentcore', 'AgentRuntime.zip'))),
      ).toBe(true);
    });

    it('is named for the stage as the service requires, speaks HTTP, has no inbound JWT authoriser and idles out with the session', () => {
      const props = runtime();
      expect(props.AgentRuntimeName).toBe(`pf360_agent_${stage}`);
      expect(props.AgentRuntimeName).toMatch(/^[a-zA-Z][a-zA-Z0-9_]{0,47}$/);
      expect(props.RoleArn).toEqual(getAtt('AgentRuntimeRole', 'Arn'));
      expect(props.ProtocolConfiguration).toBe('HTTP');
      expect(props.NetworkConfiguration).toEqual({ NetworkMode: 'PUBLIC' });
      // SigV4 callers only (the chat Lambda's role): a JWT authoriser would shut the SDK out.
      expect(props.AuthorizerConfiguration).toBeUndefined();
      expect(props.RequestHeaderConfiguration).toBeUndefined();
      expect(props.LifecycleConfiguration).toEqual({ IdleRuntimeSessionTimeout: 1800, MaxLifetime: 28800 });
      expect(String(props.LifecycleConfiguration.IdleRuntimeSessionTimeout)).toBe(
        envOf(p(), 'chat').SESSION_TTL_SECONDS,
      );
    });

    it('gives the agent the action groups’ environment, its model and the guardrail', () => {
      const vars = runtime().EnvironmentVariables;
      const scheduling = envOf(p(), 'scheduling');
      expect(vars).toEqual({
        ...scheduling,
        AGENT_PROVIDER: 'bedrock',
        AGENT_MODEL_ID: modelId,
        AGENT_GUARDRAIL_ID: getAtt('Guardrail', 'GuardrailId'),
        AGENT_GUARDRAIL_VERSION: getAtt('GuardrailVersion', 'Version'),
      });
      expect(vars.STAGE).toBe(stage);
      expect(vars.USE_MOCK_API).toBe(stageIntent[stage].mock);
      expect(vars.ENABLE_REAL_CONFIRM).toBe(stageIntent[stage].confirm);
      expect(Object.keys(vars).length).toBeLessThanOrEqual(50);
      for (const value of Object.values(vars))
        if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(2048);
    });

    it('serves the chat Lambda through the `live` endpoint, which follows the newest version', () => {
      expect(p().template.Resources.AgentRuntimeEndpoint.Properties).toEqual({
        AgentRuntimeId: getAtt('AgentRuntime', 'AgentRuntimeId'),
        AgentRuntimeVersion: getAtt('AgentRuntime', 'AgentRuntimeVersion'),
        Name: 'live',
        Description: `The endpoint the chat Lambda of pf360-agent-${stage} invokes`,
        Tags: { service: 'pf360-scheduling-agent', stage },
      });
    });

    it('keeps the `live` endpoint’s logs for the stage’s retention, in a group made before the endpoint', () => {
      const { AgentRuntimeLogGroup: group, AgentRuntimeEndpoint: endpoint } = p().template.Resources;
      expect(group.Properties).toEqual({
        LogGroupName: sub(`/aws/bedrock-agentcore/runtimes/\${AgentRuntime.AgentRuntimeId}-live`),
        RetentionInDays: { dev: 14, qa: 14, staging: 30, prod: 90 }[stage],
      });
      expect(group.Properties.RetentionInDays).toBe(p().template.Resources.ChatLogGroup.Properties.RetentionInDays);
      expect(endpoint.DependsOn).toEqual(['AgentRuntimeLogGroup']);
      // The runtime's role may write there: the group's name is inside its OwnLogStreams resource.
      const ownStreams = p().template.Resources.AgentRuntimeRole.Properties.Policies[1].PolicyDocument.Statement.find(
        (s: Cfn) => s.Sid === 'OwnLogStreams',
      ).Resource[0]['Fn::Sub'] as string;
      expect(ownStreams).toContain('/aws/bedrock-agentcore/runtimes/pf360_agent_');
    });

    it('runs under a role with exactly the model, the guardrail, the three tables, its logs, metrics, traces and code', () => {
      const role = p().template.Resources.AgentRuntimeRole.Properties;
      expect(role.AssumeRolePolicyDocument.Statement).toEqual(agentcoreTrust('*'));
      const [model, runtimePolicy, ...others] = role.Policies;
      expect(others).toEqual([]);
      expect(model.PolicyDocument.Statement).toEqual(agentsResolver.modelInvokeStatements(modelId, modelRegions));
      expect(model.PolicyDocument.Statement.flatMap((s: Cfn) => s.Action)).toEqual([
        'bedrock:InvokeModel',
        'bedrock:InvokeModelWithResponseStream',
      ]);
      const logs = `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group`;
      expect(runtimePolicy.PolicyDocument.Statement).toEqual([
        {
          Sid: 'OwnLogGroups',
          Effect: 'Allow',
          Action: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
          Resource: [sub(`${logs}:/aws/bedrock-agentcore/runtimes/pf360_agent_${stage}-*`)],
        },
        {
          Sid: 'OwnLogStreams',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [sub(`${logs}:/aws/bedrock-agentcore/runtimes/pf360_agent_${stage}-*:log-stream:*`)],
        },
        { Sid: 'FindLogGroups', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: [sub(`${logs}:*`)] },
        {
          Sid: 'Metrics',
          Effect: 'Allow',
          Action: ['cloudwatch:PutMetricData'],
          Resource: ['*'],
          Condition: { StringEquals: { 'cloudwatch:namespace': 'bedrock-agentcore' } },
        },
        {
          Sid: 'Traces',
          Effect: 'Allow',
          Action: [
            'xray:PutTraceSegments',
            'xray:PutTelemetryRecords',
            'xray:GetSamplingRules',
            'xray:GetSamplingTargets',
          ],
          Resource: ['*'],
        },
        {
          Sid: 'Guardrail',
          Effect: 'Allow',
          Action: ['bedrock:ApplyGuardrail'],
          Resource: [getAtt('Guardrail', 'GuardrailArn')],
        },
        ...writerStatements,
        {
          Sid: 'OwnCode',
          Effect: 'Allow',
          Action: ['s3:GetObject'],
          Resource: [sub(`arn:\${AWS::Partition}:s3:::\${ServerlessDeploymentBucket}/${keyPrefix}/AgentRuntime-*`)],
        },
      ]);
      // The code it may read covers the key the plugin chose.
      expect(
        runtime().AgentRuntimeArtifact.CodeConfiguration.Code.S3.Prefix.startsWith(`${keyPrefix}/AgentRuntime-`),
      ).toBe(true);
    });
  },
);

describe.each(stages)('stage %s on classic: no runtime zip', (stage) => {
  it('builds no runtime zip and keeps the (uncreated) Runtime pointing at no real object', () => {
    for (const gateway of [false, true]) {
      const p = variantOf(stage, 'classic', gateway);
      expect(existsSync(join(p.dir, 'agentcore')), variantName(p.variant)).toBe(false);
      const runtime = p.raw.Resources.AgentRuntime;
      expect(runtime.Condition).toBe('AgentCorePlatform');
      expect(runtime.Properties.AgentRuntimeArtifact.CodeConfiguration.Code.S3.Prefix).toBe(
        `serverless/pf360-agent/${stage}/code-artifacts/agentcore/AgentRuntime-not-built.zip`,
      );
    }
  });
});

/** The AgentCore Gateway's SchemaDefinition: these keys and types only (CloudFormation, additionalProperties false). */
const schemaKeys = new Set(['Type', 'Description', 'Properties', 'Required', 'Items']);
const schemaTypes = new Set(['string', 'number', 'object', 'array', 'boolean', 'integer']);
function schemaProblems(node: Cfn, where: string): string[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [`${where}: not an object`];
  const problems = Object.keys(node)
    .filter((key) => !schemaKeys.has(key))
    .map((key) => `${where}: ${key} is not allowed`);
  if (!schemaTypes.has(node.Type)) problems.push(`${where}: Type ${JSON.stringify(node.Type)}`);
  if (node.Description !== undefined && typeof node.Description !== 'string') problems.push(`${where}: Description`);
  if (node.Required !== undefined) {
    if (!Array.isArray(node.Required) || node.Required.some((r: unknown) => typeof r !== 'string')) {
      problems.push(`${where}: Required`);
    } else {
      for (const name of node.Required) {
        if (!node.Properties?.[name]) problems.push(`${where}: required ${name} is not a property`);
      }
    }
  }
  for (const [name, child] of Object.entries(node.Properties ?? {}))
    problems.push(...schemaProblems(child, `${where}.${name}`));
  if (node.Items !== undefined) problems.push(...schemaProblems(node.Items, `${where}[]`));
  return problems;
}
function toolProblems(tool: Cfn): string[] {
  const where = String(tool?.Name);
  const problems = Object.keys(tool ?? {})
    .filter((key) => !['Name', 'Description', 'InputSchema', 'OutputSchema'].includes(key))
    .map((key) => `${where}: ${key} is not allowed`);
  if (typeof tool?.Name !== 'string' || tool.Name === '') problems.push(`${where}: Name is required`);
  if (typeof tool?.Description !== 'string' || tool.Description === '')
    problems.push(`${where}: Description is required`);
  if (!tool?.InputSchema) problems.push(`${where}: InputSchema is required`);
  else problems.push(...schemaProblems(tool.InputSchema, `${where}.InputSchema`));
  if (tool?.InputSchema?.Type !== 'object') problems.push(`${where}: InputSchema.Type must be object`);
  return problems;
}

describe.each(variants.filter((v) => v.gateway).map((v) => [variantName(v), v] as const))(
  '%s: the AgentCore Gateway',
  (_, variant) => {
    const p = () => variantOf(variant.stage, variant.platform, variant.gateway);
    const { stage } = variant;
    const r = () => p().template.Resources;
    const payload = () => r().GatewayTarget.Properties.TargetConfiguration.Mcp.Lambda.ToolSchema.InlinePayload;

    it('takes the portal’s JWTs (its OpenID configuration and audience) and hands each request to the interceptor', () => {
      const chat = envOf(p(), 'chat');
      expect(r().Gateway.Properties).toEqual({
        Name: `pf360-agent-${stage}-tools`,
        Description: `PF360 scheduling tools over MCP, stage ${stage}`,
        RoleArn: getAtt('GatewayRole', 'Arn'),
        ProtocolType: 'MCP',
        ProtocolConfiguration: { Mcp: { Instructions: expect.stringContaining('confirmation_id') } },
        AuthorizerType: 'CUSTOM_JWT',
        AuthorizerConfiguration: {
          CustomJWTAuthorizer: {
            DiscoveryUrl: `${chat.JWT_ISSUER}/.well-known/openid-configuration`,
            AllowedAudience: [chat.JWT_AUDIENCE],
          },
        },
        InterceptorConfigurations: [
          {
            Interceptor: { Lambda: { Arn: getAtt('AgentcoreInterceptorLambdaFunction', 'Arn') } },
            InterceptionPoints: ['REQUEST'],
            // The interceptor takes the identity from the Authorization header, not from the arguments.
            InputConfiguration: { PassRequestHeaders: true },
          },
        ],
        Tags: { service: 'pf360-scheduling-agent', stage },
      });
      expect(r().Gateway.Properties.Name).toMatch(/^([0-9a-z][-]?){1,100}$/);
    });

    it('calls the target Lambda with its own role, with the generated tool schemas', () => {
      const { TargetConfiguration, ...rest } = r().GatewayTarget.Properties;
      expect(rest).toEqual({
        GatewayIdentifier: getAtt('Gateway', 'GatewayIdentifier'),
        Name: 'pf360',
        Description: 'The PF360 scheduling, information and notes operations',
        CredentialProviderConfigurations: [{ CredentialProviderType: 'GATEWAY_IAM_ROLE' }],
      });
      expect(TargetConfiguration.Mcp.Lambda.LambdaArn).toEqual(getAtt('AgentcoreLambdaFunction', 'Arn'));
      const generated = JSON.parse(readFileSync(join(repoRoot, 'generated/catalog/gateway-tools.json'), 'utf8'));
      expect(payload()).toEqual(generated.tools);
    });

    it('declares every catalog tool in the Gateway’s schema subset (cfn-lint cannot check it here)', () => {
      expect(payload().map((t: Cfn) => [t.Name, t.Description])).toEqual(
        mcpTools.map((t) => [t.tool.name, t.tool.description]),
      );
      expect(payload().flatMap(toolProblems)).toEqual([]);
      // The check itself can fail.
      expect(
        toolProblems({
          Name: 'x',
          InputSchema: { Type: 'object', Properties: { a: { Type: 'string', Enum: ['b'] } } },
        }),
      ).toEqual(['x: Description is required', 'x.InputSchema.a: Enum is not allowed']);
    });

    it('offers no tool argument that names who is calling: identity comes from the verified token only', () => {
      const names = (node: Cfn): string[] => [
        ...Object.keys(node.Properties ?? {}),
        ...Object.values(node.Properties ?? {}).flatMap(names),
        ...(node.Items ? names(node.Items) : []),
      ];
      for (const tool of payload()) {
        expect(
          names(tool.InputSchema).filter((n) => /customer|client|tenant|token|session|user|_pf360/i.test(n)),
          tool.Name,
        ).toEqual([]);
      }
    });

    it('lets AgentCore assume the Gateway role for this gateway only, to invoke exactly the target and the interceptor', () => {
      const role = r().GatewayRole.Properties;
      expect(role.AssumeRolePolicyDocument.Statement).toEqual(agentcoreTrust(`gateway/pf360-agent-${stage}-tools-*`));
      expect(statementsOf(r().GatewayRole)).toEqual([
        {
          Sid: 'InvokeTargetAndInterceptor',
          Effect: 'Allow',
          Action: ['lambda:InvokeFunction'],
          Resource: [
            getAtt('AgentcoreLambdaFunction', 'Arn'),
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax.
            sub('${AgentcoreLambdaFunction.Arn}:*'),
            getAtt('AgentcoreInterceptorLambdaFunction', 'Arn'),
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax.
            sub('${AgentcoreInterceptorLambdaFunction.Arn}:*'),
          ],
        },
      ]);
    });

    it('gives the target every tool’s table needs plus creating the session, and the interceptor only its logs', () => {
      expect(statementsOf(r().AgentcoreFunctionRole)).toEqual([
        ownLogs(stage, 'agentcore'),
        sessionsCreateReadUpdate,
        ...idempotencyAndAudit,
      ]);
      expect(statementsOf(r().AgentcoreInterceptorFunctionRole)).toEqual([ownLogs(stage, 'agentcoreInterceptor')]);
      for (const id of ['AgentcoreFunctionRole', 'AgentcoreInterceptorFunctionRole']) {
        expect(r()[id].Properties.AssumeRolePolicyDocument.Statement, id).toEqual(lambdaTrust);
      }
    });

    it('configures the target and the interceptor to verify the portal’s tokens', () => {
      const chat = envOf(p(), 'chat');
      const jwt = { JWT_JWKS_URL: chat.JWT_JWKS_URL, JWT_ISSUER: chat.JWT_ISSUER, JWT_AUDIENCE: chat.JWT_AUDIENCE };
      expect(envOf(p(), 'agentcoreInterceptor')).toMatchObject({ ...jwt, STAGE: stage });
      expect(envOf(p(), 'agentcore')).toEqual({ ...envOf(p(), 'scheduling'), ...jwt });
    });
  },
);

describe.each(variants.map((v) => [variantName(v), v] as const))('%s: IAM', (_, variant) => {
  const p = () => variantOf(variant.stage, variant.platform, variant.gateway);

  it('names exact actions and resources in every statement; "*" only where AWS accepts nothing narrower', () => {
    const { stage } = variant;
    const iam = Object.entries(p().template.Resources).filter(([, r]) => r.Type.startsWith('AWS::IAM::'));
    const expectedRoles = [
      'ChatFunctionRole',
      'InformationFunctionRole',
      'NotesFunctionRole',
      'SchedulingFunctionRole',
      ...(variant.platform === 'classic' ? ['CollaboratorAgentRole', 'SupervisorAgentRole'] : ['AgentRuntimeRole']),
      ...(variant.gateway ? ['AgentcoreFunctionRole', 'AgentcoreInterceptorFunctionRole', 'GatewayRole'] : []),
    ];
    expect(iam.map(([id]) => id).sort()).toEqual(expectedRoles.sort());
    const prefix = '^arn:\\$\\{AWS::Partition\\}:';
    const account = '\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}';
    const wildcards: [RegExp, string[]][] = [
      [
        new RegExp(
          `${prefix}logs:${account}:log-group:/aws/lambda/pf360-agent-${stage}-(scheduling|information|notes|chat|agentcore|agentcore-interceptor):\\*$`,
        ),
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ],
      [
        new RegExp(`${prefix}logs:${account}:log-group:/aws/bedrock-agentcore/runtimes/pf360_agent_${stage}-\\*$`),
        ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
      ],
      [
        new RegExp(
          `${prefix}logs:${account}:log-group:/aws/bedrock-agentcore/runtimes/pf360_agent_${stage}-\\*:log-stream:\\*$`,
        ),
        ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ],
      [new RegExp(`${prefix}logs:${account}:log-group:\\*$`), ['logs:DescribeLogGroups']],
      [
        new RegExp(
          `${prefix}s3:::\\$\\{ServerlessDeploymentBucket\\}/serverless/pf360-agent/${stage}/code-artifacts/agentcore/AgentRuntime-\\*$`,
        ),
        ['s3:GetObject'],
      ],
      [/^\$\{Agentcore(Interceptor)?LambdaFunction\.Arn\}:\*$/, ['lambda:InvokeFunction']],
    ];
    const exactAttributes = new Set([
      'SessionsTable.Arn',
      'IdempotencyTable.Arn',
      'AuditTable.Arn',
      'Guardrail.GuardrailArn',
      'AgentRuntime.AgentRuntimeArn',
      'AgentRuntimeEndpoint.AgentRuntimeEndpointArn',
      'AgentcoreLambdaFunction.Arn',
      'AgentcoreInterceptorLambdaFunction.Arn',
    ]);
    // Actions whose API has no resource: allowed on "*" only, and metrics only with a namespace.
    const noResourceActions = new Set([
      'cloudwatch:PutMetricData',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ]);
    let checked = 0;
    for (const [id, role] of iam) {
      for (const statement of statementsOf(role)) {
        const where = `${id} ${statement.Sid}`;
        expect(statement.Effect, where).toBe('Allow');
        expect(Object.keys(statement).sort(), where).toEqual(
          statement.Sid === 'Metrics'
            ? ['Action', 'Condition', 'Effect', 'Resource', 'Sid']
            : ['Action', 'Effect', 'Resource', 'Sid'],
        );
        expect(Array.isArray(statement.Action) && statement.Action.length > 0, where).toBe(true);
        for (const action of statement.Action) expect(action, where).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
        expect(Array.isArray(statement.Resource) && statement.Resource.length > 0, where).toBe(true);
        for (const resource of statement.Resource) {
          if (resource === '*') {
            for (const action of statement.Action)
              expect(noResourceActions.has(action), `${where}: ${action} on *`).toBe(true);
            if (statement.Action.includes('cloudwatch:PutMetricData')) {
              expect(statement.Condition, where).toEqual({
                StringEquals: { 'cloudwatch:namespace': 'bedrock-agentcore' },
              });
            }
            continue;
          }
          if (resource['Fn::GetAtt']) {
            const [target, attribute] = resource['Fn::GetAtt'];
            const ok =
              exactAttributes.has(`${target}.${attribute}`) ||
              /AgentAlias\.AgentAliasArn$/.test(`${target}.${attribute}`);
            expect(ok, `${where}: GetAtt ${target}.${attribute}`).toBe(true);
            continue;
          }
          const arn = resource['Fn::Sub'];
          expect(typeof arn, where).toBe('string');
          if (arn.includes('*')) {
            const rule = wildcards.find(([pattern]) => pattern.test(arn));
            expect(rule, `${where}: ${arn}`).toBeDefined();
            expect(statement.Action, `${where}: ${arn}`).toEqual(rule?.[1]);
          } else {
            expect(arn, where).toMatch(/^arn:\$\{AWS::Partition\}:(logs|bedrock):/);
          }
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(14);
  });
});

describe('stages differ as intended', () => {
  it('dev answers from the mock with writes off; prod calls the real API with writes on and no traces', () => {
    expect(env('dev', 'scheduling')).toMatchObject({
      USE_MOCK_API: 'true',
      ENABLE_REAL_CONFIRM: 'false',
      ENABLE_REAL_CANCEL: 'false',
    });
    expect(env('prod', 'scheduling')).toMatchObject({
      USE_MOCK_API: 'false',
      PF360_BASE_URL: 'https://api.projectsforce.com',
      ENABLE_REAL_CONFIRM: 'true',
      ENABLE_REAL_CANCEL: 'true',
    });
    expect(env('prod', 'chat').ENABLE_TRACE).toBe('false');
    expect(env('dev', 'chat').ENABLE_TRACE).toBe('true');
  });

  it('gives every stage its own tables, functions, agents, guardrail, runtime and gateway', () => {
    // Names are unique per kind (a Lambda and an agent may share one); endpoint and target names
    // are scoped to their runtime and gateway.
    const names = (stage: Stage) =>
      Object.values(packaged[stage].raw.Resources)
        .filter(
          (r) => !['AWS::BedrockAgentCore::RuntimeEndpoint', 'AWS::BedrockAgentCore::GatewayTarget'].includes(r.Type),
        )
        .map((r) => [
          r.Type,
          r.Properties?.TableName ??
            r.Properties?.FunctionName ??
            r.Properties?.AgentName ??
            r.Properties?.AgentRuntimeName ??
            r.Properties?.Name,
        ])
        .filter(([, n]) => typeof n === 'string')
        .map(([type, n]) => `${type} ${n}`);
    const all = stages.flatMap(names);
    // 6 functions, 3 tables, 4 agents, the HTTP API, the guardrail, the runtime and the gateway.
    expect(all).toHaveLength(stages.length * 17);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe.each(stages)('stage %s: bundles', (stage) => {
  it.each(functionNames)('%s: one CommonJS handler file, under the size budget', (fn) => {
    const zipPath = join(packaged[stage].dir, `${fn}.zip`);
    expect(statSync(zipPath).size).toBeLessThanOrEqual(zipBudgetBytes);
    const entries = readZip(zipPath);
    const handlerFile = `${functions[fn].handler.replace(/\.handler$/, '')}.js`;
    // No package.json (a "type": "module" one would make Lambda read the CJS bundle as ESM),
    // no node_modules: everything is inside the one file.
    expect(entries.map((e) => e.name)).toEqual([handlerFile]);
    expect(entries[0]?.data.length).toBeLessThanOrEqual(unzippedBudgetBytes);
    // The code is the same for every stage and variant: configuration lives in the environment only.
    for (const other of [packaged.dev, variantOf(stage, 'agentcore', true)]) {
      expect(entries[0]?.data.equals(readZip(join(other.dir, `${fn}.zip`))[0]?.data ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it.each(functionNames)('%s: loads from the zip alone with the stage environment and exports handler', (fn) => {
    const event =
      fn === 'chat'
        ? undefined
        : fn === 'agentcore'
          ? { project_id: '12345' }
          : fn === 'agentcoreInterceptor'
            ? interceptorEvent()
            : unknownRouteEvent(fn);
    const result = runBundle(stage, fn, event);
    expect(result.handler).toBe('function');
    if (fn === 'agentcore') {
      // A real call through the bundled adapter: no tool name in the client context.
      expect(result.response).toMatchObject({ error_type: 'unknown_tool', status: 404 });
    } else if (fn === 'agentcoreInterceptor') {
      // Not a tools/call: passed through unchanged, without looking at any token.
      expect(result.response).toMatchObject({
        interceptorOutputVersion: '1.0',
        mcp: { transformedGatewayRequest: { body: interceptorEvent().mcp.gatewayRequest.body } },
      });
    } else if (fn !== 'chat') {
      // A real call through the bundled router: the unknown route gets a 404 envelope.
      expect(result.response).toMatchObject({
        messageVersion: '1.0',
        response: { actionGroup: fn, apiPath: '/no-such-action', httpMethod: 'GET', httpStatusCode: 404 },
      });
    }
  });

  it('scheduling: validates input with the bundled validators before any network call', () => {
    const event = {
      ...unknownRouteEvent('scheduling'),
      apiPath: '/get-available-dates',
      parameters: [{ name: 'project_id', type: 'string', value: 'not an id!' }],
    };
    const { response } = runBundle(stage, 'scheduling', event);
    expect(response.response.httpStatusCode).toBe(400);
    const body = JSON.parse(response.response.responseBody['application/json'].body);
    expect(body).toMatchObject({ error_type: 'validation_error' });
    expect(body.error).toContain('project_id');
  });

  it('AgentCore Runtime: the zip alone starts and answers GET /ping as AgentCore expects', async () => {
    const ping = await pingRuntime(variantOf(stage, 'agentcore', false));
    expect(ping.status).toBe(200);
    expect(['Healthy', 'HealthyBusy']).toContain(ping.body.status);
    expect(Number.isInteger(ping.body.time_of_last_update)).toBe(true);
  });
});

function unknownRouteEvent(group: string) {
  return {
    messageVersion: '1.0',
    agent: { name: 'pf360', id: 'AGENT12345', alias: 'ALIAS12345', version: '1' },
    inputText: 'test',
    sessionId: 'packaging-test-session',
    actionGroup: group,
    apiPath: '/no-such-action',
    httpMethod: 'GET',
    parameters: [],
    sessionAttributes: {},
    promptSessionAttributes: {},
  };
}

/** A REQUEST interceptor event for an MCP tools/list (no token needed to pass it on). */
function interceptorEvent() {
  const body = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
  return {
    interceptorInputVersion: '1.0',
    mcp: {
      rawGatewayRequest: { body: JSON.stringify(body) },
      gatewayRequest: { path: '/mcp', httpMethod: 'POST', headers: {}, body },
    },
  };
}

/** Fake values for what only exists once deployed (GetAtt, Ref): a string of the variable's name. */
const withFakeIds = (vars: Record<string, Cfn>) =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' ? v : `FAKE${k.length}ID00`]));

const offlineAws = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'packaging-test',
  AWS_SECRET_ACCESS_KEY: 'packaging-test',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/**
 * Unzips a function into an empty folder (no package.json, no node_modules anywhere above it
 * but the temp dir), then in a fresh node process with only that function's environment from
 * the template (GetAtt values replaced by fake ids) and fake credentials: require it, check it
 * exports `handler`, and optionally call it with one event. DynamoDB points at a closed port, so
 * a call that reached AWS would fail instead of leaving the machine.
 */
function runBundle(stage: Stage, fn: FunctionName, event?: unknown): Cfn {
  const folder = mkdtempSync(join(tmpdir(), `pf360-bundle-${fn}-`));
  try {
    for (const entry of readZip(join(packaged[stage].dir, `${fn}.zip`))) {
      mkdirSync(join(folder, dirname(entry.name)), { recursive: true });
      writeFileSync(join(folder, entry.name), entry.data);
    }
    const script = `
      const m = require(process.argv[1]);
      const out = { handler: typeof m.handler };
      const event = JSON.parse(process.argv[2]);
      if (!event || typeof m.handler !== 'function') { console.log(JSON.stringify(out)); }
      else m.handler(event, {}).then((response) => console.log(JSON.stringify({ ...out, response })));
    `;
    const handlerFile = join(folder, `${functions[fn].handler.replace(/\.handler$/, '')}.js`);
    const child = spawnSync(process.execPath, ['-e', script, handlerFile, JSON.stringify(event ?? null)], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH, ...withFakeIds(env(stage, fn)), ...offlineAws },
    });
    expect(child.status, child.stderr).toBe(0);
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(last);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Starts the runtime's app.js from its zip alone, with the Runtime's environment from the template
 * and PORT on a free loopback port (AgentCore itself uses 8080), then asks GET /ping.
 */
async function pingRuntime(p: Packaged): Promise<{ status: number; body: Cfn }> {
  const { spawn } = await import('node:child_process');
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolvePort) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const folder = mkdtempSync(join(workDir, 'runtime-run-'));
  const [entry] = readZip(join(p.dir, 'agentcore', 'AgentRuntime.zip'));
  writeFileSync(join(folder, 'app.js'), entry?.data ?? '');
  const child = spawn(process.execPath, [join(folder, 'app.js')], {
    cwd: folder,
    env: {
      PATH: process.env.PATH,
      ...withFakeIds(p.template.Resources.AgentRuntime.Properties.EnvironmentVariables),
      ...offlineAws,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/ping`);
        return { status: response.status, body: await response.json() };
      } catch {
        if (child.exitCode !== null) throw new Error(`app.js exited with ${child.exitCode}: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`app.js did not answer on port ${port} within 10 s: ${stderr}`);
  } finally {
    child.kill();
  }
}

describe('cfn-lint', () => {
  it('passes the compiled template of every variant, and the literal-ARN copies that expose the tool schemas', () => {
    expect(cfnLintVersion(), installHint).toBeDefined();
    const result = lintVariants(
      variants.map((variant) => ({ variant, dir: variantOf(variant.stage, variant.platform, variant.gateway).dir })),
    );
    expect(result.output, result.output).toBe('');
    expect(result.failed).toEqual([]);
    expect(result.passed).toHaveLength(variants.length);
    expect(result.ok).toBe(true);
  }, 600_000);

  it('fails a template with a broken agent (the check can fail)', () => {
    expect(cfnLintVersion(), installHint).toBeDefined();
    const broken = structuredClone(packaged.dev.raw);
    broken.Resources.SchedulingAgent.Properties.AgentName = 'not a valid name';
    broken.Resources.SchedulingAgent.Properties.IdleSessionTTLInSeconds = 10;
    const path = join(workDir, 'broken-template.json');
    writeFileSync(path, JSON.stringify(broken, null, 2));
    const result = lintTemplates([path]);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("E3031 'not a valid name' does not match");
    expect(result.output).toContain('E3034 10 is less than the minimum of 60');
  }, 120_000);

  it('names the variant whose template has a finding, and only that one', () => {
    expect(cfnLintVersion(), installHint).toBeDefined();
    const good = variantOf('qa', 'agentcore', false);
    const broken = structuredClone(good.raw);
    broken.Resources.AgentRuntimeEndpoint.Properties.Name = 'live-v1';
    const dir = mkdtempSync(join(workDir, 'broken-variant-'));
    writeFileSync(join(dir, 'cloudformation-template-update-stack.json'), JSON.stringify(broken, null, 2));
    const result = lintVariants([
      { variant: good.variant, dir: good.dir },
      { variant: { stage: 'prod', platform: 'agentcore', gateway: false }, dir },
    ]);
    expect(result.ok).toBe(false);
    expect(result.failed).toEqual(['prod agentcore']);
    expect(result.passed).toEqual(['qa agentcore']);
    expect(result.output).toContain("E3031 'live-v1' does not match");
  }, 120_000);

  it('sees a broken Gateway tool schema only in the literal-ARN copy (why lint:cfn lints both)', () => {
    expect(cfnLintVersion(), installHint).toBeDefined();
    const broken = structuredClone(variantOf('dev', 'agentcore', true).raw);
    const tools = broken.Resources.GatewayTarget.Properties.TargetConfiguration.Mcp.Lambda.ToolSchema.InlinePayload;
    tools[1].InputSchema.Properties.project_id.Pattern = '^[0-9]+$';
    const asCompiled = join(workDir, 'broken-tools.json');
    const literal = join(workDir, 'broken-tools-literal.json');
    writeFileSync(asCompiled, JSON.stringify(broken, null, 2));
    writeFileSync(literal, JSON.stringify(withLiteralFunctionArns(broken, 'dev'), null, 2));
    expect(lintTemplates([asCompiled]).ok).toBe(true);
    const result = lintTemplates([literal]);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('E3018');
  }, 120_000);
});
