'use strict';
/**
 * Variable resolver for serverless.yml (`${file(./scripts/serverless/agents.cjs):<path>}`): the
 * Bedrock agents' text and the values derived from it.
 *
 * - `instructions.<agent>`: agents/instructions/<agent>.md, byte for byte, as a plain string
 *   (`${file(x.md)}` would work too, but `${file(x.yaml)}` would hand over a parsed object, so the
 *   action-group payloads need this resolver anyway; one mechanism for both).
 * - `payloads.<group>`: openapi/actions/<group>.yaml, byte for byte, for `ApiSchema.Payload`.
 * - `hashes.<agent>`: a sha256 prefix of everything that defines the agent (instruction, payload,
 *   model id, the guardrail's settings hash, the settings in serverless.yml `custom.agents`, and
 *   for the supervisor its collaborators). It goes into the alias Description: an alias only cuts a new agent version
 *   when the alias itself changes, so a changed definition must change the alias.
 * - `modelAccess`: the agent roles' IAM statements for the model, on exact ARNs (the inference
 *   profile and the foundation model in every region the profile routes to).
 * - `modelInvoke`: only the InvokeModel* statement of those, for the AgentCore Runtime's role
 *   (the code-defined agent calls the model and never describes it).
 *
 * osls calls the exported function once per reference with `resolveVariable`; it reads
 * `self:custom.agents` for the settings. The pure functions are exported for the tests.
 * CommonJS because the repository is "type": "module" and osls `require`s resolver files.
 */
const { settingsHash } = require('./settings-hash.cjs');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const repoRoot = join(__dirname, '..', '..');
const collaborators = ['scheduling', 'information', 'notes'];
const agents = ['supervisor', ...collaborators];

/** Bedrock's limits for AWS::Bedrock::Agent.Instruction. */
const instructionMinChars = 40;
const instructionMaxChars = 20_000;

function readText(root, relative) {
  const text = readFileSync(join(root, relative), 'utf8');
  // osls re-reads a resolved string for variables: "${" in the text would be treated as one.
  if (text.includes('${')) {
    throw new Error(`${relative} contains "\${", which the framework would try to resolve as a variable; rephrase it`);
  }
  return text;
}

/** The instruction and action-group files, as the strings that go into the template. */
function loadAgentFiles(root = repoRoot) {
  const instructions = {};
  for (const name of agents) {
    const file = `agents/instructions/${name}.md`;
    const text = readText(root, file);
    const length = [...text].length;
    if (length < instructionMinChars || length > instructionMaxChars) {
      throw new Error(
        `${file} has ${length} characters; Bedrock accepts ${instructionMinChars} to ${instructionMaxChars}`,
      );
    }
    instructions[name] = text;
  }
  const payloads = {};
  for (const name of collaborators) payloads[name] = readText(root, `openapi/actions/${name}.yaml`);
  return { instructions, payloads };
}

function requireSetting(settings, path) {
  let value = settings;
  for (const key of path.split('.')) value = value == null ? undefined : value[key];
  if (value === undefined || value === null || value === '') {
    throw new Error(`serverless.yml custom.agents.${path} must be set`);
  }
  return value;
}

/**
 * Each agent's definition hash. `settings` is serverless.yml `custom.agents`, resolved.
 * A collaborator's hash covers its instruction, its action-group payload, the model, the session
 * TTL, the guardrail (every agent carries it: a new guardrail version is a new definition) and its
 * own settings minus `collaborationInstruction` (that text belongs to the supervisor).
 * The supervisor's covers its instruction, the model, the TTL, its settings and every
 * collaborator's name, collaboration instruction and alias. A collaborator's new version does not
 * need a new supervisor version: the supervisor calls the collaborator's alias, which moves itself.
 */
function definitionHashes(files, settings) {
  const modelId = requireSetting(settings, 'modelId');
  const idleSessionTtlSeconds = requireSetting(settings, 'idleSessionTtlSeconds');
  const guardrail = requireSetting(settings, 'guardrail');
  const hashes = {};
  for (const name of collaborators) {
    const { collaborationInstruction, ...own } = requireSetting(settings, `collaborators.${name}`);
    hashes[name] = settingsHash({
      agent: name,
      modelId,
      idleSessionTtlSeconds,
      guardrail,
      instruction: files.instructions[name],
      payload: files.payloads[name],
      settings: own,
    });
  }
  hashes.supervisor = settingsHash({
    agent: 'supervisor',
    modelId,
    idleSessionTtlSeconds,
    guardrail,
    instruction: files.instructions.supervisor,
    settings: requireSetting(settings, 'supervisor'),
    collaborators: collaborators.map((name) => ({
      name,
      collaborationInstruction: requireSetting(settings, `collaborators.${name}.collaborationInstruction`),
    })),
  });
  return hashes;
}

const geoProfile = /^(us|eu|apac|jp|au|ca|us-gov)\.(.+)$/;

function sub(arn) {
  return { 'Fn::Sub': arn };
}

/**
 * IAM statements that let an agent use the model and nothing else. A cross-region inference
 * profile (us.…, eu.…) routes each request to the foundation model in one of several regions, and
 * the call is authorised there: the role needs the profile ARN and the model ARN in every one of
 * those regions (the earlier system failed with 403s when only us-east-1 was allowed).
 */
function modelAccessStatements(modelId, regions) {
  if (typeof modelId !== 'string' || modelId === '') throw new Error('custom.agents.modelId must be set');
  if (modelId.startsWith('global.')) {
    throw new Error('global.* inference profiles route to every commercial region; list a geographic profile instead');
  }
  const profile = geoProfile.exec(modelId);
  if (!profile) {
    const model = sub(`arn:\${AWS::Partition}:bedrock:\${AWS::Region}::foundation-model/${modelId}`);
    return [
      {
        Sid: 'InvokeModel',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: [model],
      },
      { Sid: 'DescribeModel', Effect: 'Allow', Action: ['bedrock:GetFoundationModel'], Resource: [model] },
    ];
  }
  if (!Array.isArray(regions) || regions.length === 0 || regions.some((r) => !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(r))) {
    throw new Error(
      `custom.agents.modelRegions must list the regions ${modelId} routes to, e.g. [us-east-1, us-west-2]`,
    );
  }
  const profileArn = sub(
    `arn:\${AWS::Partition}:bedrock:\${AWS::Region}:\${AWS::AccountId}:inference-profile/${modelId}`,
  );
  const models = [...new Set(regions)].map((region) =>
    sub(`arn:\${AWS::Partition}:bedrock:${region}::foundation-model/${profile[2]}`),
  );
  return [
    {
      Sid: 'InvokeModelThroughInferenceProfile',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      Resource: [profileArn, ...models],
    },
    {
      Sid: 'DescribeInferenceProfile',
      Effect: 'Allow',
      Action: ['bedrock:GetInferenceProfile'],
      Resource: [profileArn],
    },
    { Sid: 'DescribeFoundationModel', Effect: 'Allow', Action: ['bedrock:GetFoundationModel'], Resource: models },
  ];
}

/** The statement of modelAccessStatements that invokes the model, without the Get* ones. */
function modelInvokeStatements(modelId, regions) {
  return modelAccessStatements(modelId, regions).filter((statement) =>
    statement.Action.includes('bedrock:InvokeModel'),
  );
}

/** Everything serverless.yml reads from this file, for the given settings. */
function resolveAgents(settings, root = repoRoot) {
  const files = loadAgentFiles(root);
  return {
    instructions: files.instructions,
    payloads: files.payloads,
    hashes: definitionHashes(files, settings),
    modelAccess: modelAccessStatements(settings.modelId, settings.modelRegions),
    modelInvoke: modelInvokeStatements(settings.modelId, settings.modelRegions),
  };
}

module.exports = async ({ resolveVariable }) => resolveAgents(await resolveVariable('self:custom.agents'));
module.exports.resolveAgents = resolveAgents;
module.exports.loadAgentFiles = loadAgentFiles;
module.exports.definitionHashes = definitionHashes;
module.exports.modelAccessStatements = modelAccessStatements;
module.exports.modelInvokeStatements = modelInvokeStatements;
module.exports.collaborators = collaborators;
