/**
 * `sls package` for every stage, offline and without AWS credentials, then assertions on what
 * would be deployed: the compiled CloudFormation templates and the Lambda bundles. All four
 * stages are packaged once, in beforeAll.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionGroups, repoRoot } from '../../scripts/lib/specs.js';
import {
  cfnLintVersion,
  installHint,
  lintTemplates,
  packagedStage,
  type Stage,
  stages,
} from '../../scripts/lint-cfn.js';
import { readZip } from './zip.js';

// biome-ignore lint/suspicious/noExplicitAny: compiled CloudFormation templates are untyped JSON.
type Cfn = any;

interface Packaged {
  dir: string;
  templatePath: string;
  templateText: string;
  template: { Resources: Record<string, Cfn> };
  stateText: string;
  state: Cfn;
}

const agentsResolver = createRequire(import.meta.url)('../../scripts/serverless/agents.cjs') as {
  loadAgentFiles(): { instructions: Record<string, string>; payloads: Record<string, string> };
  definitionHashes(files: unknown, settings: unknown): Record<string, string>;
};

const functions = {
  scheduling: { logicalId: 'SchedulingLambdaFunction', handler: 'src/action-groups/scheduling/handler.handler' },
  information: { logicalId: 'InformationLambdaFunction', handler: 'src/action-groups/information/handler.handler' },
  notes: { logicalId: 'NotesLambdaFunction', handler: 'src/action-groups/notes/handler.handler' },
  chat: { logicalId: 'ChatLambdaFunction', handler: 'src/chat/handler.handler' },
  // Optional (infra/agentcore.yml): compiled in every stage, created only when enabled.
  agentcore: { logicalId: 'AgentcoreLambdaFunction', handler: 'src/agentcore/handler.handler' },
} as const;
type FunctionName = keyof typeof functions;
const functionNames = Object.keys(functions) as FunctionName[];
const agentLogicalIds = { scheduling: 'SchedulingAgent', information: 'InformationAgent', notes: 'NotesAgent' };

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

const packaged = {} as Record<Stage, Packaged>;
let workDir = '';

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'pf360-packaging-'));
  // In parallel (each run packages from its own temporary service folder, see packageStage), or
  // reused: CI's lint:cfn step has packaged the same sources already (packagedStage).
  const runs = await Promise.allSettled(stages.map((stage) => packagedStage(stage)));
  for (const [i, stage] of stages.entries()) {
    const run = runs[i];
    if (run?.status !== 'fulfilled') throw run?.reason;
    const dir = run.value;
    const templatePath = join(dir, 'cloudformation-template-update-stack.json');
    const templateText = readFileSync(templatePath, 'utf8');
    const stateText = readFileSync(join(dir, 'serverless-state.json'), 'utf8');
    packaged[stage] = {
      dir,
      templatePath,
      templateText,
      template: JSON.parse(templateText),
      stateText,
      state: JSON.parse(stateText),
    };
  }
}, 600_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const resources = (stage: Stage) => packaged[stage].template.Resources;
const ofType = (stage: Stage, type: string) => Object.entries(resources(stage)).filter(([, r]) => r.Type === type);
const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
const env = (stage: Stage, fn: FunctionName): Record<string, Cfn> =>
  resources(stage)[functions[fn].logicalId].Properties.Environment.Variables;
const statementsOf = (role: Cfn): Cfn[] => role.Properties.Policies.flatMap((p: Cfn) => p.PolicyDocument.Statement);
const ownLogs = (stage: Stage, fn: FunctionName) => ({
  Sid: 'OwnLogs',
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: [
    {
      'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/pf360-agent-${stage}-${fn}:*`,
    },
  ],
});
const sessionsReadUpdate = {
  Sid: 'Sessions',
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  Resource: [getAtt('SessionsTable', 'Arn')],
};
const writerStatements = [
  sessionsReadUpdate,
  {
    Sid: 'Idempotency',
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    Resource: [getAtt('IdempotencyTable', 'Arn')],
  },
  { Sid: 'Audit', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: [getAtt('AuditTable', 'Arn')] },
];

/** What each stage is for (serverless.yml params): only these values differ between stages. */
const stageIntent: Record<
  Stage,
  { mock: string; confirm: string; cancel: string; pf360: string; trace: string; logLevels: string[] }
> = {
  dev: {
    mock: 'true',
    confirm: 'false',
    cancel: 'false',
    pf360: 'https://api.dev.projectsforce.com',
    trace: 'true',
    logLevels: ['DEBUG'],
  },
  qa: {
    mock: 'false',
    confirm: 'false',
    cancel: 'false',
    pf360: 'https://api.qa.projectsforce.com',
    trace: 'true',
    logLevels: ['DEBUG', 'INFO'],
  },
  staging: {
    mock: 'false',
    confirm: 'true',
    cancel: 'true',
    pf360: 'https://api.staging.projectsforce.com',
    trace: 'true',
    logLevels: ['DEBUG', 'INFO'],
  },
  prod: {
    mock: 'false',
    confirm: 'true',
    cancel: 'true',
    pf360: 'https://api.projectsforce.com',
    trace: 'false',
    logLevels: ['INFO', 'WARN'],
  },
};

describe.each(stages)('stage %s: compiled template', (stage) => {
  it('has the five functions on nodejs22.x with their handlers, names, memory and timeouts', () => {
    const lambdas = ofType(stage, 'AWS::Lambda::Function');
    expect(lambdas.map(([id]) => id).sort()).toEqual(functionNames.map((f) => functions[f].logicalId).sort());
    for (const fn of functionNames) {
      const props = resources(stage)[functions[fn].logicalId].Properties;
      expect(props.Runtime, fn).toBe('nodejs22.x');
      expect(props.Handler, fn).toBe(functions[fn].handler);
      expect(props.FunctionName, fn).toBe(`pf360-agent-${stage}-${fn}`);
      expect(props.MemorySize, fn).toBe(512);
      expect(props.Timeout, fn).toBe(fn === 'chat' ? 29 : 45);
      expect(props.Role, fn).toEqual(getAtt(`${fn[0]?.toUpperCase()}${fn.slice(1)}FunctionRole`, 'Arn'));
    }
  });

  it('creates the three tables on demand with TTL, point-in-time recovery and encryption', () => {
    const expected = {
      SessionsTable: { name: `pf360-${stage}-sessions`, ttl: 'expires_at' },
      IdempotencyTable: { name: `pf360-${stage}-idempotency`, ttl: 'expiration' },
      AuditTable: { name: `pf360-${stage}-audit`, ttl: 'expires_at' },
    };
    const tables = ofType(stage, 'AWS::DynamoDB::Table');
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
    expect(statementsOf(r.AgentcoreFunctionRole)).toEqual([ownLogs(stage, 'agentcore'), ...writerStatements]);
    expect(statementsOf(r.ChatFunctionRole)).toEqual([
      ownLogs(stage, 'chat'),
      {
        Sid: 'Sessions',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: [getAtt('SessionsTable', 'Arn')],
      },
      {
        Sid: 'InvokeSupervisor',
        Effect: 'Allow',
        Action: ['bedrock:InvokeAgent'],
        Resource: [getAtt('SupervisorAgentAlias', 'AgentAliasArn')],
      },
    ]);
    for (const id of [
      'SchedulingFunctionRole',
      'NotesFunctionRole',
      'InformationFunctionRole',
      'ChatFunctionRole',
      'AgentcoreFunctionRole',
    ]) {
      expect(r[id].Properties.AssumeRolePolicyDocument.Statement, id).toEqual([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
    }
  });

  it('creates the AgentCore Gateway target only when the stage turns it on (off by default)', () => {
    const r = resources(stage);
    for (const id of ['AgentcoreLambdaFunction', 'AgentcoreLogGroup', 'AgentcoreFunctionRole']) {
      expect(r[id]?.Condition, id).toBe('AgentCoreTargetEnabled');
    }
    const template = packaged[stage].template as unknown as {
      Parameters: Record<string, { Default: string }>;
      Conditions: Record<string, unknown>;
    };
    expect(template.Parameters.AgentCoreTarget?.Default).toBe('false');
    expect(template.Conditions.AgentCoreTargetEnabled).toEqual({ 'Fn::Equals': [{ Ref: 'AgentCoreTarget' }, 'true'] });
    // Nothing else depends on it, so leaving it out cannot break the stack.
    const others = Object.entries(r).filter(([id]) => !id.startsWith('Agentcore'));
    expect(JSON.stringify(others)).not.toMatch(/Agentcore(LambdaFunction|FunctionRole|LogGroup)/);
  });

  it('keeps the information role away from the idempotency and audit tables', () => {
    const text = JSON.stringify(resources(stage).InformationFunctionRole);
    expect(text).not.toMatch(/IdempotencyTable|AuditTable|PutItem|DeleteItem/);
    expect(Object.keys(env(stage, 'information'))).not.toEqual(
      expect.arrayContaining(['IDEMPOTENCY_TABLE', 'AUDIT_TABLE', 'ENABLE_REAL_CONFIRM']),
    );
  });

  it('names exact actions and resources in every IAM statement (the only "*" is a function log group)', () => {
    const iam = Object.entries(resources(stage)).filter(([, r]) => r.Type.startsWith('AWS::IAM::'));
    expect(iam.map(([id]) => id).sort()).toEqual(
      [
        'AgentcoreFunctionRole',
        'ChatFunctionRole',
        'CollaboratorAgentRole',
        'InformationFunctionRole',
        'NotesFunctionRole',
        'SchedulingFunctionRole',
        'SupervisorAgentRole',
      ].sort(),
    );
    const ownLogGroup = new RegExp(
      `^arn:\\$\\{AWS::Partition\\}:logs:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:log-group:/aws/lambda/pf360-agent-${stage}-(scheduling|information|notes|chat|agentcore):\\*$`,
    );
    const exactAttributes = new Set(['SessionsTable.Arn', 'IdempotencyTable.Arn', 'AuditTable.Arn']);
    let checked = 0;
    for (const [id, role] of iam) {
      for (const statement of statementsOf(role)) {
        const where = `${id} ${statement.Sid}`;
        expect(statement.Effect, where).toBe('Allow');
        expect(Object.keys(statement).sort(), where).toEqual(['Action', 'Effect', 'Resource', 'Sid']);
        expect(Array.isArray(statement.Action) && statement.Action.length > 0, where).toBe(true);
        for (const action of statement.Action) expect(action, where).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
        expect(Array.isArray(statement.Resource) && statement.Resource.length > 0, where).toBe(true);
        for (const resource of statement.Resource) {
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
            expect(arn, where).toMatch(ownLogGroup);
            expect(statement.Action, where).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
          } else {
            expect(arn, where).toMatch(/^arn:\$\{AWS::Partition\}:(logs|bedrock):/);
          }
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(16);
  });

  it('lets Bedrock assume the agent roles for this account only, for the model and the collaborators', () => {
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
    const modelRegions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'];
    const model = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
    const invoke = statementsOf(r.CollaboratorAgentRole).find(
      (s: Cfn) => s.Sid === 'InvokeModelThroughInferenceProfile',
    );
    expect(invoke.Resource).toEqual([
      {
        'Fn::Sub': `arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:inference-profile/us.${model}`,
      },
      ...modelRegions.map((region) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:bedrock:${region}::foundation-model/${model}`,
      })),
    ]);
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

  it('prepares every agent automatically, on the model, with the sessions TTL and its own role', () => {
    const agents = ofType(stage, 'AWS::Bedrock::Agent');
    expect(agents.map(([id]) => id).sort()).toEqual(
      ['InformationAgent', 'NotesAgent', 'SchedulingAgent', 'SupervisorAgent'].sort(),
    );
    for (const [id, agent] of agents) {
      expect(agent.Properties.AutoPrepare, id).toBe(true);
      expect(agent.Properties.FoundationModel, id).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(agent.Properties.IdleSessionTTLInSeconds, id).toBe(1800);
      expect(agent.Properties.AgentName, id).toMatch(new RegExp(`^pf360-agent-${stage}-[a-z]+$`));
      expect(agent.Properties.AgentResourceRoleArn, id).toEqual(
        getAtt(id === 'SupervisorAgent' ? 'SupervisorAgentRole' : 'CollaboratorAgentRole', 'Arn'),
      );
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

  it('puts each agent definition hash in its alias Description', () => {
    const files = agentsResolver.loadAgentFiles();
    const hashes = agentsResolver.definitionHashes(files, packaged[stage].state.service.custom.agents);
    const aliases = ofType(stage, 'AWS::Bedrock::AgentAlias');
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
    const permissions = ofType(stage, 'AWS::Lambda::Permission');
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
    const routes = ofType(stage, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    expect(routes.sort()).toEqual(declared.sort());
    const integrations = ofType(stage, 'AWS::ApiGatewayV2::Integration').map(([, i]) => i.Properties.IntegrationUri);
    expect(integrations).toEqual([getAtt('ChatLambdaFunction', 'Arn')]);
  });

  it('configures the chat Lambda with the supervisor alias, the JWKS and no shared secret', () => {
    const chat = env(stage, 'chat');
    expect(chat.AGENT_ID).toEqual(getAtt('SupervisorAgent', 'AgentId'));
    expect(chat.AGENT_ALIAS_ID).toEqual(getAtt('SupervisorAgentAlias', 'AgentAliasId'));
    expect(chat.JWT_JWKS_URL).toMatch(/^https:\/\//);
    expect(chat.JWT_ISSUER).toMatch(/^https:\/\//);
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

  it('gives every stage its own tables, functions and agents', () => {
    // Names are unique per kind (a Lambda and an agent may share one).
    const names = (stage: Stage) =>
      Object.values(resources(stage))
        .map((r) => [r.Type, r.Properties?.TableName ?? r.Properties?.FunctionName ?? r.Properties?.AgentName])
        .filter(([, n]) => typeof n === 'string')
        .map(([type, n]) => `${type} ${n}`);
    const all = stages.flatMap(names);
    expect(all).toHaveLength(stages.length * 12);
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
    // The code is the same for every stage: configuration lives in the environment only.
    expect(entries[0]?.data.equals(readZip(join(packaged.dev.dir, `${fn}.zip`))[0]?.data ?? Buffer.alloc(0))).toBe(
      true,
    );
  });

  it.each(functionNames)('%s: loads from the zip alone with the stage environment and exports handler', (fn) => {
    const event = fn === 'chat' ? undefined : fn === 'agentcore' ? { project_id: '12345' } : unknownRouteEvent(fn);
    const result = runBundle(stage, fn, event);
    expect(result.handler).toBe('function');
    if (fn === 'agentcore') {
      // A real call through the bundled adapter: no tool name in the client context.
      expect(result.response).toMatchObject({ error_type: 'unknown_tool', status: 404 });
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
    const fnEnv = Object.fromEntries(
      Object.entries(env(stage, fn)).map(([k, v]) => [k, typeof v === 'string' ? v : `FAKE${k.length}ID00`]),
    );
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
      env: {
        PATH: process.env.PATH,
        ...fnEnv,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'packaging-test',
        AWS_SECRET_ACCESS_KEY: 'packaging-test',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });
    expect(child.status, child.stderr).toBe(0);
    const last = child.stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(last);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('cfn-lint', () => {
  it('passes the compiled template of every stage', () => {
    expect(cfnLintVersion(), installHint).toBeDefined();
    const result = lintTemplates(stages.map((s) => packaged[s].templatePath));
    expect(result.output, result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('fails a template with a broken agent (the check can fail)', () => {
    expect(cfnLintVersion(), installHint).toBeDefined();
    const broken = structuredClone(packaged.dev.template);
    broken.Resources.SchedulingAgent.Properties.AgentName = 'not a valid name';
    broken.Resources.SchedulingAgent.Properties.IdleSessionTTLInSeconds = 10;
    const path = join(workDir, 'broken-template.json');
    writeFileSync(path, JSON.stringify(broken, null, 2));
    const result = lintTemplates([path]);
    expect(result.ok).toBe(false);
    expect(result.output).toContain("E3031 'not a valid name' does not match");
    expect(result.output).toContain('E3034 10 is less than the minimum of 60');
  });
});
