/**
 * scripts/serverless/agentcore-artifact.cjs, the osls plugin that builds, wires and uploads the
 * AgentCore Runtime's code zip. The upload runs against a stubbed S3 client (no network); the
 * build runs the real esbuild on a small entry file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { readZip } from '../../packaging/zip.js';

const pluginPath = join(import.meta.dirname, '../../../scripts/serverless/agentcore-artifact.cjs');
// biome-ignore lint/suspicious/noExplicitAny: the plugin is untyped CommonJS.
const Plugin = createRequire(import.meta.url)(pluginPath) as any;

const deploymentDir = 'serverless/pf360-agent/dev/1796111242932-2026-12-01T07:47:22.932Z';
const keyPrefix = 'serverless/pf360-agent/dev/code-artifacts/agentcore';

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function serviceDir(): string {
  scratch = mkdtempSync(join(tmpdir(), 'pf360-artifact-'));
  return scratch;
}

function runtimeResource(overrides: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::BedrockAgentCore::Runtime',
    Condition: 'AgentCorePlatform',
    Properties: {
      AgentRuntimeName: 'pf360_agent_dev',
      AgentRuntimeArtifact: { CodeConfiguration: { Runtime: 'NODE_22', EntryPoint: ['app.js'] } },
      ...overrides,
    },
  };
}

interface Options {
  dir: string;
  enabled?: boolean;
  resource?: unknown;
  shouldNotDeploy?: boolean;
  deploymentBucketObject?: Record<string, string>;
}

function fakeServerless({
  dir,
  enabled = true,
  resource = runtimeResource(),
  shouldNotDeploy,
  deploymentBucketObject,
}: Options) {
  return {
    serviceDir: dir,
    classes: { Error },
    service: {
      service: 'pf360-agent',
      custom: {
        esbuild: {
          bundle: true,
          minify: true,
          keepNames: true,
          target: 'node22',
          format: 'esm',
          packager: 'npm',
          exclude: [],
        },
        agentcoreArtifacts: { AgentRuntime: { entry: 'app.ts', file: 'app.js', enabled } },
      },
      package: { artifactDirectoryName: deploymentDir },
      provider: {
        compiledCloudFormationTemplate: { Resources: { AgentRuntime: resource } },
        shouldNotDeploy,
        deploymentBucketObject,
      },
    },
    getProvider: () => ({
      getDeploymentPrefix: () => 'serverless',
      getStage: () => 'dev',
      getServerlessDeploymentBucketName: async () => 'pf360-deployment-bucket',
    }),
  };
}

interface Call {
  command: string;
  input: Record<string, unknown>;
}

/** An S3 stub: records every command; HeadObject answers from `objects` (key → filesha256) or 404s. */
function stubS3(objects = new Map<string, string>(), headError?: Error) {
  const calls: Call[] = [];
  const s3 = {
    async send(command: HeadObjectCommand | PutObjectCommand) {
      const input = command.input as unknown as Record<string, unknown>;
      calls.push({ command: command.constructor.name, input });
      if (command instanceof HeadObjectCommand) {
        if (headError) throw headError;
        const hash = objects.get(String(input.Key));
        if (hash === undefined)
          throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
        return { Metadata: { filesha256: hash } };
      }
      objects.set(String(input.Key), String((input.Metadata as Record<string, string>).filesha256));
      return {};
    },
  };
  let created = 0;
  const createS3 = async () => {
    created++;
    return { s3, commands: { HeadObjectCommand, PutObjectCommand } };
  };
  return { calls, objects, createS3, created: () => created };
}

/** A packaged service: app.ts built and wired, as after `sls package`. */
async function packaged(options: Omit<Options, 'dir'> = {}) {
  const dir = serviceDir();
  writeFileSync(
    join(dir, 'app.ts'),
    "const port: number = Number('8080');\nexport const listening = 'port ' + port;\n",
  );
  const serverless = fakeServerless({ dir, ...options });
  const plugin = new Plugin(serverless, {}, { log: { info() {} } });
  await plugin.build();
  plugin.wire();
  return { dir, serverless, plugin };
}

function deployer(serverless: ReturnType<typeof fakeServerless>, stub: ReturnType<typeof stubS3>) {
  return new Plugin(serverless, {}, { log: { info() {} } }, stub.createS3);
}

const base64Sha256 = (data: Buffer) => createHash('sha256').update(data).digest('base64');
const hexSha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('build and wire (sls package)', () => {
  it('bundles the entry into app.js alone, as CommonJS, and points Code.S3 at a content-addressed key', async () => {
    const { dir, serverless } = await packaged();
    const zip = readFileSync(join(dir, '.serverless/agentcore/AgentRuntime.zip'));
    const entries = readZip(join(dir, '.serverless/agentcore/AgentRuntime.zip'));
    expect(entries.map((e) => e.name)).toEqual(['app.js']);
    // custom.esbuild said format esm: the runtime bundle is CommonJS whatever the Lambdas use.
    expect(entries[0]?.data.toString()).toMatch(/module\.exports|exports\./);
    const resource = serverless.service.provider.compiledCloudFormationTemplate.Resources.AgentRuntime as Record<
      string,
      // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON.
      any
    >;
    expect(resource.Properties.AgentRuntimeArtifact.CodeConfiguration.Code).toEqual({
      S3: { Bucket: { Ref: 'ServerlessDeploymentBucket' }, Prefix: `${keyPrefix}/AgentRuntime-${hexSha256(zip)}.zip` },
    });
    expect(resource.Metadata).toEqual({ AgentCoreArtifactSha256: hexSha256(zip) });
  });

  it('gives the same bytes (and key) when packaged again', async () => {
    const first = await packaged();
    const bytes = readFileSync(join(first.dir, '.serverless/agentcore/AgentRuntime.zip'));
    await first.plugin.build();
    expect(readFileSync(join(first.dir, '.serverless/agentcore/AgentRuntime.zip')).equals(bytes)).toBe(true);
  });

  it('builds nothing on a platform without the runtime, and needs the resource to be conditional then', async () => {
    const { dir, serverless } = await packaged({ enabled: false });
    expect(() => readFileSync(join(dir, '.serverless/agentcore/AgentRuntime.zip'))).toThrow(/ENOENT/);
    const resource = serverless.service.provider.compiledCloudFormationTemplate.Resources.AgentRuntime as {
      Properties: { AgentRuntimeArtifact: { CodeConfiguration: { Code: unknown } } };
      Metadata: unknown;
    };
    expect(resource.Properties.AgentRuntimeArtifact.CodeConfiguration.Code).toEqual({
      S3: { Bucket: { Ref: 'ServerlessDeploymentBucket' }, Prefix: `${keyPrefix}/AgentRuntime-not-built.zip` },
    });
    expect(resource.Metadata).toEqual({ AgentCoreArtifact: 'not built: condition AgentCorePlatform is false' });
    const unconditional = { ...runtimeResource(), Condition: undefined };
    await expect(packaged({ enabled: false, resource: unconditional })).rejects.toThrow(
      'AgentRuntime: its artifact is disabled, so the resource needs a Condition that is false',
    );
  });

  it('refuses a runtime name the service rejects, an entry point that is not the bundle, and a Code it did not set', async () => {
    await expect(packaged({ resource: runtimeResource({ AgentRuntimeName: 'pf360-agent-dev' }) })).rejects.toThrow(
      /AgentRuntimeName "pf360-agent-dev" must be a letter then letters, digits or underscores/,
    );
    await expect(packaged({ resource: runtimeResource({ AgentRuntimeName: `a${'b'.repeat(48)}` }) })).rejects.toThrow(
      /at most 48/,
    );
    const entry = runtimeResource({
      AgentRuntimeArtifact: { CodeConfiguration: { Runtime: 'NODE_22', EntryPoint: ['index.js'] } },
    });
    await expect(packaged({ resource: entry })).rejects.toThrow('EntryPoint ["index.js"] does not end with app.js');
    const code = runtimeResource({
      AgentRuntimeArtifact: { CodeConfiguration: { Runtime: 'NODE_22', EntryPoint: ['app.js'], Code: { S3: {} } } },
    });
    await expect(packaged({ resource: code })).rejects.toThrow('leave CodeConfiguration.Code out');
  });
});

describe('upload (sls deploy)', () => {
  it('first deploy: uploads the zip under its key, then the pointer with the same hash', async () => {
    const { dir, serverless } = await packaged({ deploymentBucketObject: { serverSideEncryption: 'AES256' } });
    const zip = readFileSync(join(dir, '.serverless/agentcore/AgentRuntime.zip'));
    const key = `${keyPrefix}/AgentRuntime-${hexSha256(zip)}.zip`;
    const stub = stubS3();
    const result = await deployer(serverless, stub).upload();
    expect(stub.calls.map((c) => [c.command, c.input.Key])).toEqual([
      ['HeadObjectCommand', key],
      ['PutObjectCommand', key],
      ['PutObjectCommand', `${deploymentDir}/agentcore/AgentRuntime.json`],
    ]);
    const [, upload, pointer] = stub.calls;
    expect(upload?.input).toEqual({
      Bucket: 'pf360-deployment-bucket',
      Key: key,
      Body: zip,
      ContentType: 'application/zip',
      ChecksumSHA256: base64Sha256(zip),
      Metadata: { filesha256: base64Sha256(zip) },
      ServerSideEncryption: 'AES256',
    });
    expect(pointer?.input).toMatchObject({
      Bucket: 'pf360-deployment-bucket',
      Metadata: { filesha256: base64Sha256(zip) },
      ServerSideEncryption: 'AES256',
    });
    expect(JSON.parse(String(pointer?.input.Body))).toEqual({ logicalId: 'AgentRuntime', key });
    expect(result).toEqual([
      { logicalId: 'AgentRuntime', key, uploaded: true, pointerKey: `${deploymentDir}/agentcore/AgentRuntime.json` },
    ]);
  });

  it('second deploy of the same bundle: only the pointer is written', async () => {
    const { serverless } = await packaged();
    const stub = stubS3();
    await deployer(serverless, stub).upload();
    stub.calls.length = 0;
    await deployer(serverless, stub).upload();
    expect(stub.calls.map((c) => c.command)).toEqual(['HeadObjectCommand', 'PutObjectCommand']);
    expect(stub.calls[1]?.input.Key).toBe(`${deploymentDir}/agentcore/AgentRuntime.json`);
  });

  it('uploads again when the object under the key does not carry the zip’s hash', async () => {
    const { serverless, dir } = await packaged();
    const zip = readFileSync(join(dir, '.serverless/agentcore/AgentRuntime.zip'));
    const key = `${keyPrefix}/AgentRuntime-${hexSha256(zip)}.zip`;
    const stub = stubS3(new Map([[key, 'something-else']]));
    await deployer(serverless, stub).upload();
    expect(stub.calls.map((c) => [c.command, c.input.Key])).toEqual([
      ['HeadObjectCommand', key],
      ['PutObjectCommand', key],
      ['PutObjectCommand', `${deploymentDir}/agentcore/AgentRuntime.json`],
    ]);
  });

  it('refuses a zip whose bytes no longer match the key in the template, before any call', async () => {
    const { dir, serverless } = await packaged();
    writeFileSync(join(dir, '.serverless/agentcore/AgentRuntime.zip'), 'changed after packaging');
    const stub = stubS3();
    await expect(deployer(serverless, stub).upload()).rejects.toThrow(
      /AgentRuntime: the zip in \.serverless\/agentcore\/ does not match .*; package again/,
    );
    expect(stub.calls).toEqual([]);
  });

  it('makes no call at all when osls decided there is nothing to deploy, or nothing was built', async () => {
    const skipped = await packaged({ shouldNotDeploy: true });
    const stub = stubS3();
    expect(await deployer(skipped.serverless, stub).upload()).toEqual([]);
    const classic = await packaged({ enabled: false });
    expect(await deployer(classic.serverless, stub).upload()).toEqual([]);
    expect(stub.calls).toEqual([]);
    expect(stub.created()).toBe(0);
  });

  it('passes on an S3 error other than "not found" instead of uploading blindly', async () => {
    const { serverless } = await packaged();
    const denied = Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } });
    const stub = stubS3(new Map(), denied);
    await expect(deployer(serverless, stub).upload()).rejects.toThrow('Forbidden');
    expect(stub.calls.map((c) => c.command)).toEqual(['HeadObjectCommand']);
  });
});

describe('deterministicZip', () => {
  const zipIn = (timeZone: string) => {
    const script = `require(${JSON.stringify(pluginPath)}).deterministicZip([['b.js', Buffer.from('b')], ['app.js', Buffer.from('a')]]).then((z) => process.stdout.write(z.toString('base64')))`;
    const child = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TZ: timeZone },
    });
    expect(child.status, child.stderr).toBe(0);
    return Buffer.from(child.stdout, 'base64');
  };

  it('gives the same bytes in every time zone, whatever the order of the files', async () => {
    const reference = zipIn('UTC');
    expect(zipIn('Asia/Kolkata').equals(reference)).toBe(true);
    expect(zipIn('America/Los_Angeles').equals(reference)).toBe(true);
    const reordered: Buffer = await Plugin.deterministicZip([
      ['app.js', Buffer.from('a')],
      ['b.js', Buffer.from('b')],
    ]);
    expect(reordered.equals(reference)).toBe(true);
  });

  it('writes each entry as a regular rw-r--r-- file dated 1980-01-01 00:00', async () => {
    const dir = serviceDir();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'x.zip');
    writeFileSync(path, await Plugin.deterministicZip([['app.js', Buffer.from('console.log(1)')]]));
    const zip = readFileSync(path);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(zip.readUInt16LE(central + 10), 'stored').toBe(0);
    expect(zip.readUInt16LE(central + 12), 'DOS time 00:00:00').toBe(0);
    expect(zip.readUInt16LE(central + 14), 'DOS date 1980-01-01').toBe((0 << 9) | (1 << 5) | 1);
    expect(zip.readUInt32LE(central + 38) >>> 16, 'mode').toBe(0o100644);
    expect(zip.readUInt16LE(central + 30), 'no extra field (no UTC timestamp)').toBe(0);
    expect(readZip(path).map((e) => [e.name, e.data.toString()])).toEqual([['app.js', 'console.log(1)']]);
  });
});

describe('esbuildOptionsFor', () => {
  it('takes the Lambdas’ esbuild options, leaves serverless-esbuild’s own out, and fixes node + CommonJS', () => {
    const options = Plugin.esbuildOptionsFor(
      {
        bundle: true,
        minify: true,
        keepNames: true,
        sourcemap: false,
        target: 'node22',
        platform: 'neutral',
        format: 'esm',
        packager: 'npm',
        exclude: [],
      },
      { serviceDir: '/srv', entry: 'src/agentcore/runtime/app.ts', file: 'app.js' },
    );
    expect(options).toEqual({
      bundle: true,
      minify: true,
      keepNames: true,
      sourcemap: false,
      target: 'node22',
      absWorkingDir: '/srv',
      entryPoints: ['/srv/src/agentcore/runtime/app.ts'],
      outfile: 'app.js',
      platform: 'node',
      format: 'cjs',
      write: false,
    });
  });
});
