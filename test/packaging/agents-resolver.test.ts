/**
 * scripts/serverless/agents.cjs: the agents' instruction and schema strings, the definition
 * hashes that move the aliases to new versions, and the model-access IAM statements. These run
 * without packaging; packaging.test.ts checks that the compiled templates use exactly these values.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actionGroups, readSpec, repoRoot } from '../../scripts/lib/specs.js';

interface AgentFiles {
  instructions: Record<string, string>;
  payloads: Record<string, string>;
}
interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: unknown[];
}
interface AgentsResolver {
  loadAgentFiles(root?: string): AgentFiles;
  definitionHashes(files: AgentFiles, settings: AgentSettings): Record<string, string>;
  modelAccessStatements(modelId: string, regions?: string[]): Statement[];
  modelInvokeStatements(modelId: string, regions?: string[]): Statement[];
  collaborators: string[];
}
interface AgentSettings {
  modelId: string;
  modelRegions: string[];
  idleSessionTtlSeconds: number;
  guardrail: string;
  supervisor: Record<string, string>;
  collaborators: Record<string, Record<string, string>>;
}

const resolver = createRequire(import.meta.url)('../../scripts/serverless/agents.cjs') as AgentsResolver;
const agentNames = ['supervisor', 'scheduling', 'information', 'notes'];

function settings(): AgentSettings {
  return {
    modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    modelRegions: ['us-east-1', 'us-east-2', 'us-west-2'],
    idleSessionTtlSeconds: 1800,
    guardrail: '0123456789abcdef',
    supervisor: { description: 'Routes.', collaboration: 'SUPERVISOR', relayConversationHistory: 'TO_COLLABORATOR' },
    collaborators: Object.fromEntries(
      actionGroups.map((g) => [
        g,
        {
          description: `${g} agent`,
          actionGroupDescription: `${g} actions`,
          collaborationInstruction: `Use for ${g}.`,
        },
      ]),
    ),
  };
}

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** A copy of the files the resolver reads, to change one at a time. */
function copyOfAgentSources(): string {
  scratch = mkdtempSync(join(tmpdir(), 'pf360-agents-'));
  mkdirSync(join(scratch, 'openapi'), { recursive: true });
  cpSync(join(repoRoot, 'agents'), join(scratch, 'agents'), { recursive: true });
  cpSync(join(repoRoot, 'openapi/actions'), join(scratch, 'openapi/actions'), { recursive: true });
  return scratch;
}

function changedHashes(before: Record<string, string>, after: Record<string, string>): string[] {
  return agentNames.filter((name) => before[name] !== after[name]);
}

describe('agent instruction and schema strings', () => {
  it('are the files byte for byte', () => {
    const files = resolver.loadAgentFiles();
    for (const name of agentNames) {
      expect(files.instructions[name]).toBe(readFileSync(join(repoRoot, `agents/instructions/${name}.md`), 'utf8'));
    }
    for (const group of actionGroups) {
      expect(files.payloads[group]).toBe(readFileSync(join(repoRoot, `openapi/actions/${group}.yaml`), 'utf8'));
    }
  });

  it('keeps every instruction within Bedrock limits (40 to 20,000 characters)', () => {
    for (const [name, text] of Object.entries(resolver.loadAgentFiles().instructions)) {
      expect([...text].length, name).toBeGreaterThanOrEqual(40);
      expect([...text].length, name).toBeLessThanOrEqual(20_000);
    }
  });

  it('names every action of a collaborator in its instruction, and no action of another group', () => {
    const { instructions } = resolver.loadAgentFiles();
    const operationIds = (group: string): string[] =>
      Object.values(readSpec(group as (typeof actionGroups)[number]).paths as Record<string, Record<string, unknown>>)
        .flatMap((item) => Object.values(item))
        .map((op) => (op as { operationId: string }).operationId);
    for (const group of actionGroups) {
      for (const id of operationIds(group)) expect(instructions[group], `${group} → ${id}`).toContain(id);
      for (const other of actionGroups.filter((g) => g !== group)) {
        for (const id of operationIds(other).filter((i) => !operationIds(group).includes(i))) {
          expect(instructions[group], `${group} must not offer ${other}'s ${id}`).not.toContain(id);
        }
      }
    }
    for (const group of actionGroups) expect(instructions.supervisor).toContain(`- ${group}:`);
  });

  it('rejects a file the framework would read as a variable, or an instruction Bedrock refuses', () => {
    const root = copyOfAgentSources();
    writeFileSync(
      join(root, 'agents/instructions/notes.md'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the framework's variable syntax, on purpose.
      'Call list_notes for ${self:custom.prefix} and never guess.',
    );
    expect(() => resolver.loadAgentFiles(root)).toThrow(/notes\.md contains "\$\{"/);
    writeFileSync(join(root, 'agents/instructions/notes.md'), 'Too short.');
    expect(() => resolver.loadAgentFiles(root)).toThrow(/notes\.md has 10 characters/);
  });
});

describe('definition hashes (alias Description → new agent version)', () => {
  const baseline = () => resolver.definitionHashes(resolver.loadAgentFiles(copyOfAgentSources()), settings());

  it('are stable for an unchanged definition, whatever the key order of the settings', () => {
    const first = baseline();
    const reordered = Object.fromEntries(Object.entries(settings()).reverse()) as unknown as AgentSettings;
    expect(resolver.definitionHashes(resolver.loadAgentFiles(scratch), reordered)).toEqual(first);
    expect(new Set(Object.values(first)).size).toBe(4);
    for (const hash of Object.values(first)) expect(hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('change only the agent whose instruction file changed', () => {
    const before = baseline();
    const root = scratch as string;
    const file = join(root, 'agents/instructions/scheduling.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nAlways greet the customer by name.\n`);
    expect(changedHashes(before, resolver.definitionHashes(resolver.loadAgentFiles(root), settings()))).toEqual([
      'scheduling',
    ]);
    const supervisor = join(root, 'agents/instructions/supervisor.md');
    writeFileSync(supervisor, readFileSync(supervisor, 'utf8').replace('friendly', 'warm'));
    expect(changedHashes(before, resolver.definitionHashes(resolver.loadAgentFiles(root), settings()))).toEqual([
      'supervisor',
      'scheduling',
    ]);
  });

  it('change a collaborator whose action-group spec changed, not the supervisor', () => {
    const before = baseline();
    const root = scratch as string;
    const spec = join(root, 'openapi/actions/notes.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('Adds notes', 'Adds short notes'));
    expect(changedHashes(before, resolver.definitionHashes(resolver.loadAgentFiles(root), settings()))).toEqual([
      'notes',
    ]);
  });

  it('change the supervisor when a collaboration instruction changes, and every agent when the model does', () => {
    const before = baseline();
    const files = resolver.loadAgentFiles(scratch);
    const collaboration = settings();
    (collaboration.collaborators.information as Record<string, string>).collaborationInstruction = 'Weather only.';
    expect(changedHashes(before, resolver.definitionHashes(files, collaboration))).toEqual(['supervisor']);
    const description = settings();
    (description.collaborators.information as Record<string, string>).description = 'Other words.';
    expect(changedHashes(before, resolver.definitionHashes(files, description))).toEqual(['information']);
    const model = { ...settings(), modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0' };
    expect(changedHashes(before, resolver.definitionHashes(files, model))).toEqual(agentNames);
  });

  it('change every agent when the guardrail settings change (each agent carries the guardrail version)', () => {
    const before = baseline();
    const guardrail = { ...settings(), guardrail: 'fedcba9876543210' };
    expect(changedHashes(before, resolver.definitionHashes(resolver.loadAgentFiles(scratch), guardrail))).toEqual(
      agentNames,
    );
    const { guardrail: _left, ...without } = settings();
    expect(() =>
      resolver.definitionHashes(resolver.loadAgentFiles(scratch), without as unknown as AgentSettings),
    ).toThrow('custom.agents.guardrail must be set');
  });

  it('refuse settings with a collaborator missing', () => {
    const incomplete = settings();
    delete incomplete.collaborators.notes;
    expect(() => resolver.definitionHashes(resolver.loadAgentFiles(), incomplete)).toThrow(
      'custom.agents.collaborators.notes must be set',
    );
  });
});

describe('model access statements', () => {
  const sub = (arn: string) => ({ 'Fn::Sub': arn });

  it('allow a cross-region profile and its model in exactly the listed regions', () => {
    const statements = resolver.modelAccessStatements('us.anthropic.claude-sonnet-4-5-20250929-v1:0', [
      'us-east-1',
      'us-west-2',
    ]);
    const profile = sub(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax.
      'arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    );
    const models = ['us-east-1', 'us-west-2'].map((r) =>
      sub(`arn:\${AWS::Partition}:bedrock:${r}::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0`),
    );
    expect(statements).toEqual([
      {
        Sid: 'InvokeModelThroughInferenceProfile',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: [profile, ...models],
      },
      {
        Sid: 'DescribeInferenceProfile',
        Effect: 'Allow',
        Action: ['bedrock:GetInferenceProfile'],
        Resource: [profile],
      },
      { Sid: 'DescribeFoundationModel', Effect: 'Allow', Action: ['bedrock:GetFoundationModel'], Resource: models },
    ]);
    expect(JSON.stringify(statements)).not.toContain('*');
  });

  it('give the AgentCore Runtime only the invoke statement (it never describes the model)', () => {
    const all = resolver.modelAccessStatements('us.anthropic.claude-sonnet-4-5-20250929-v1:0', ['us-east-1']);
    expect(resolver.modelInvokeStatements('us.anthropic.claude-sonnet-4-5-20250929-v1:0', ['us-east-1'])).toEqual([
      all[0],
    ]);
    expect(all[0]?.Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    expect(resolver.modelInvokeStatements('anthropic.claude-3-5-haiku-20241022-v1:0').map((s) => s.Sid)).toEqual([
      'InvokeModel',
    ]);
  });

  it('allow a plain foundation model in the stack region only', () => {
    const model = sub(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax.
      'arn:${AWS::Partition}:bedrock:${AWS::Region}::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
    );
    expect(resolver.modelAccessStatements('anthropic.claude-3-5-haiku-20241022-v1:0')).toEqual([
      {
        Sid: 'InvokeModel',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        Resource: [model],
      },
      { Sid: 'DescribeModel', Effect: 'Allow', Action: ['bedrock:GetFoundationModel'], Resource: [model] },
    ]);
  });

  it('refuse a profile without its regions, and the global profile (it routes everywhere)', () => {
    expect(() => resolver.modelAccessStatements('eu.anthropic.claude-sonnet-4-5-20250929-v1:0', [])).toThrow(
      /modelRegions must list the regions/,
    );
    expect(() => resolver.modelAccessStatements('us.anthropic.x-v1:0', ['us-east-*'])).toThrow(/modelRegions/);
    expect(() => resolver.modelAccessStatements('global.anthropic.claude-sonnet-4-5-20250929-v1:0', [])).toThrow(
      /global/,
    );
  });
});
