/**
 * Section 2a of `npm run bench`: each function bundled as deployed (serverless.yml
 * `custom.esbuild`), next to a baseline bundled the same way from an entry that only builds the
 * AWS SDK clients the function uses. The difference between the two is what our own code and
 * its other dependencies cost.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { repoRoot } from '../lib/specs.js';
import type { FunctionDefinition, ServerlessConfig } from './serverless-config.js';

/** An AWS SDK client package, and how the baseline builds it (as src/ builds it). */
interface SdkClient {
  module: string;
  setup: string;
}

const dynamodb: SdkClient[] = [
  {
    module: '@aws-sdk/client-dynamodb',
    setup: `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nconst dynamodb = new DynamoDBClient({});\nclients.push(dynamodb);`,
  },
  {
    module: '@aws-sdk/lib-dynamodb',
    setup: `import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nclients.push(DynamoDBDocumentClient.from(dynamodb));`,
  },
];
const bedrockAgentRuntime: SdkClient = {
  module: '@aws-sdk/client-bedrock-agent-runtime',
  setup: `import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';\nclients.push(new BedrockAgentRuntimeClient({}));`,
};
/** AgentCore's data plane (InvokeAgentRuntime): the chat's client on an AgentCore stage. */
const bedrockAgentCore: SdkClient = {
  module: '@aws-sdk/client-bedrock-agentcore',
  setup: `import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';\nclients.push(new BedrockAgentCoreClient({}));`,
};
/** The model's client (Converse), which the code agent's BedrockModel builds. */
const bedrockRuntime: SdkClient = {
  module: '@aws-sdk/client-bedrock-runtime',
  setup: `import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';\nclients.push(new BedrockRuntimeClient({}));`,
};

/**
 * Node features that every request of a function uses and that Node only loads on first use:
 * undici behind fetch (every action calls PF360 or the weather service) and ICU's time-zone data
 * (dates in the customer's zone, PF360's created_at). A function that never calls fetch or
 * formats a date does not pay them, which is why the plain SDK baseline does not; the second
 * baseline pays them as the handler's first request would.
 */
const runtimeUse = {
  fetch: 'void globalThis.Request;',
  timeZones: "new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York' }).format(0);",
};
export const chatWithAgent = 'chat + code agent';
export const agentRuntime = 'agent runtime';

const runtimeOf: Record<string, string[]> = {
  scheduling: [runtimeUse.fetch, runtimeUse.timeZones],
  information: [runtimeUse.fetch, runtimeUse.timeZones],
  notes: [runtimeUse.fetch, runtimeUse.timeZones],
  agentcore: [runtimeUse.fetch, runtimeUse.timeZones],
  // The Gateway interceptor only verifies a token: fetch for the JWKS, no dates.
  agentcoreInterceptor: [runtimeUse.fetch],
  // The chat turn formats today's date in the customer's zone; fetch is only for JWKS refreshes.
  chat: [runtimeUse.timeZones],
  // With the agent in-process the tools call PF360 and the weather service.
  [chatWithAgent]: [runtimeUse.fetch, runtimeUse.timeZones],
  [agentRuntime]: [runtimeUse.fetch, runtimeUse.timeZones],
};

/** The SDK clients each function builds at cold start (src/action-groups/shared/wiring.ts, src/chat/wiring.ts). */
const sdkClientsOf: Record<string, SdkClient[]> = {
  scheduling: dynamodb,
  information: dynamodb,
  notes: dynamodb,
  agentcore: dynamodb,
  // The interceptor verifies a token and rewrites the request: no AWS SDK client.
  agentcoreInterceptor: [],
  // One of the two agent clients is built, per the stage's platform; both are in the bundle.
  chat: [...dynamodb, bedrockAgentRuntime, bedrockAgentCore],
  // The chat's clients (Classic stays selectable), and the model's: Strands' BedrockModel.
  [chatWithAgent]: [...dynamodb, bedrockAgentRuntime, bedrockAgentCore, bedrockRuntime],
  // The runtime only answers /invocations: the tables and the model's client.
  [agentRuntime]: [...dynamodb, bedrockRuntime],
};

/**
 * The chat with the code-defined agent in-process (scripts/bench/chat-agent/handler.ts), started
 * with the chat Lambda's environment and AGENT_PROVIDER=bedrock instead of a Classic agent.
 */
export function chatWithAgentBundle(config: ServerlessConfig): FunctionDefinition {
  const chat = config.functions.find((fn) => fn.name === 'chat');
  if (!chat) throw new Error('serverless.yml has no chat function');
  // Neither platform's agent: no Classic alias and no AgentCore Runtime, the agent runs in-process.
  const {
    AGENT_PLATFORM: _platform,
    AGENT_ID: _id,
    AGENT_ALIAS_ID: _alias,
    AGENT_RUNTIME_ARN: _runtime,
    AGENT_RUNTIME_QUALIFIER: _qualifier,
    ...environment
  } = chat.environment;
  return {
    ...chat,
    name: chatWithAgent,
    entry: 'scripts/bench/chat-agent/handler.ts',
    environment: { ...environment, AGENT_PROVIDER: 'bedrock' },
  };
}

/**
 * The AgentCore Runtime server (scripts/bench/agent-runtime/handler.ts), started with the action
 * groups' environment (as the runtime gets it) and AGENT_PROVIDER=bedrock.
 */
export function agentRuntimeBundle(config: ServerlessConfig): FunctionDefinition {
  const scheduling = config.functions.find((fn) => fn.name === 'scheduling');
  if (!scheduling) throw new Error('serverless.yml has no scheduling function');
  return {
    ...scheduling,
    name: agentRuntime,
    entry: 'scripts/bench/agent-runtime/handler.ts',
    deployedName: 'pf360_agent_runtime',
    environment: { ...scheduling.environment, AGENT_PROVIDER: 'bedrock' },
  };
}

export interface BundleInfo {
  path: string;
  bytes: number;
  gzipBytes: number;
  /** Bytes of the output by package (`src`, `generated` or an npm package), largest first. */
  composition: { source: string; bytes: number }[];
}

export interface FunctionBundles {
  fn: FunctionDefinition;
  sdkClients: string[];
  handler: BundleInfo;
  baseline: BundleInfo;
  /** The baseline that also loads the Node runtime features the function uses on every request. */
  runtime: BundleInfo;
  /** For a bundle that carries the agent: that baseline plus the Strands SDK's Agent and BedrockModel. */
  framework?: BundleInfo;
}

/** What a bundle carrying the code-defined agent loads of the agent SDK before any of our code. */
const agentFramework = `import { Agent, BedrockModel } from '@strands-agents/sdk';
clients.push(Agent, new BedrockModel({ region: process.env.AWS_REGION, modelId: process.env.AGENT_MODEL_ID ?? 'model' }));`;

/** `node_modules/@smithy/core/dist-es/x.js` → `@smithy/core`; our own files → their top folder. */
export function sourceOf(input: string): string {
  const parts = input.split('/');
  const last = parts.lastIndexOf('node_modules');
  if (last < 0) return parts.length > 1 ? (parts[0] ?? input) : input;
  const name = parts[last + 1] ?? input;
  return name.startsWith('@') ? `${name}/${parts[last + 2]}` : name;
}

function describe(path: string, metafile: Metafile): BundleInfo {
  const bytes = readFileSync(path);
  const bySource = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = sourceOf(input);
      bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
    }
  }
  return {
    path,
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes).length,
    composition: [...bySource].map(([source, size]) => ({ source, bytes: size })).sort((a, b) => b.bytes - a.bytes),
  };
}

/** The @aws-sdk client packages a bundle contains, to check the baseline builds the same ones. */
function clientPackages(info: BundleInfo): string[] {
  return info.composition
    .map((c) => c.source)
    .filter((source) => /^@aws-sdk\/(client|lib)-/.test(source))
    .sort();
}

/** Functions in serverless.yml that the bench does not know how to baseline (should be none). */
export function unbenchedFunctions(config: ServerlessConfig): string[] {
  return config.functions.map((fn) => fn.name).filter((name) => !sdkClientsOf[name] || !runtimeOf[name]);
}

export async function buildBundles(config: ServerlessConfig, outDir: string): Promise<FunctionBundles[]> {
  return Promise.all(
    [...config.functions, chatWithAgentBundle(config), agentRuntimeBundle(config)].map(async (fn) => {
      const clients = sdkClientsOf[fn.name];
      if (!clients) throw new Error(`no SDK client list for function ${fn.name}: add it to sdkClientsOf`);
      const dir = join(outDir, fn.name.replace(/[^a-z0-9]+/gi, '-'));
      mkdirSync(dir, { recursive: true });

      // As serverless-esbuild calls esbuild: the options, one entry point, an output folder.
      const handlerBuild = await build({
        ...config.esbuild,
        absWorkingDir: repoRoot,
        entryPoints: [fn.entry],
        outdir: join(dir, 'handler'),
        metafile: true,
        logLevel: 'warning',
      });
      const baselineBuild = await build({
        ...config.esbuild,
        absWorkingDir: repoRoot,
        stdin: {
          contents: ['export const clients = [];', ...clients.map((c) => c.setup)].join('\n'),
          resolveDir: repoRoot,
          sourcefile: `baseline-${fn.name}.js`,
        },
        outfile: join(dir, 'baseline', 'handler.js'),
        metafile: true,
        logLevel: 'warning',
      });
      const uses = runtimeOf[fn.name];
      if (!uses) throw new Error(`no runtime use list for function ${fn.name}: add it to runtimeOf`);
      const runtimeBuild = await build({
        ...config.esbuild,
        absWorkingDir: repoRoot,
        stdin: {
          contents: ['export const clients = [];', ...clients.map((c) => c.setup), ...uses].join('\n'),
          resolveDir: repoRoot,
          sourcefile: `runtime-${fn.name}.js`,
        },
        outfile: join(dir, 'runtime', 'handler.js'),
        metafile: true,
        logLevel: 'warning',
      });
      const carriesAgent = fn.name === chatWithAgent || fn.name === agentRuntime;
      const frameworkBuild = carriesAgent
        ? await build({
            ...config.esbuild,
            absWorkingDir: repoRoot,
            stdin: {
              contents: ['export const clients = [];', ...clients.map((c) => c.setup), ...uses, agentFramework].join(
                '\n',
              ),
              resolveDir: repoRoot,
              sourcefile: `framework-${fn.name}.js`,
            },
            outfile: join(dir, 'framework', 'handler.js'),
            metafile: true,
            logLevel: 'warning',
          })
        : undefined;
      // serverless-esbuild names the output after the entry (interceptor-handler.ts → interceptor-handler.js).
      const handlerOutput = Object.keys(handlerBuild.metafile.outputs).find((out) => out.endsWith('.js'));
      if (!handlerOutput) throw new Error(`${fn.name}: esbuild wrote no .js output`);
      const handler = describe(join(repoRoot, handlerOutput), handlerBuild.metafile);
      const baseline = describe(join(dir, 'baseline', 'handler.js'), baselineBuild.metafile);
      const runtime = describe(join(dir, 'runtime', 'handler.js'), runtimeBuild.metafile);
      const inHandler = clientPackages(handler).join(', ');
      if (inHandler !== clientPackages(baseline).join(', ')) {
        throw new Error(`${fn.name} bundles ${inHandler}, but its baseline builds ${clients.map((c) => c.module)}`);
      }
      return {
        fn,
        sdkClients: clients.map((c) => c.module),
        handler,
        baseline,
        runtime,
        ...(frameworkBuild
          ? { framework: describe(join(dir, 'framework', 'handler.js'), frameworkBuild.metafile) }
          : {}),
      };
    }),
  );
}
