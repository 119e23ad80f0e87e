'use strict';
/**
 * A local osls plugin: the AgentCore Runtime's code zip, built, wired into the template and
 * uploaded by the same `sls package` / `sls deploy` that handles the Lambdas, with no manual step.
 *
 * serverless.yml:
 *   custom:
 *     agentcoreArtifacts:
 *       AgentRuntime:                      # logical id of an AWS::BedrockAgentCore::Runtime
 *         entry: src/agentcore/runtime/app.ts
 *         file: app.js                     # the bundle's name at the zip root = EntryPoint's last item
 *         enabled: true                    # false: not built (the resource must then carry a Condition)
 *
 * - Build (after:package:createDeploymentArtifacts, once serverless-esbuild has packaged the
 *   functions): esbuild with the Lambdas' options (custom.esbuild), always platform node and
 *   CommonJS (the zip holds no package.json, so Node loads app.js as CommonJS), into a zip with
 *   fixed timestamps, POSIX mode 0644, sorted and stored entries: the same sources give the same
 *   bytes on any machine and in any time zone.
 *   The zip is written to .serverless/agentcore/<LogicalId>.zip, so `sls package --package dir`
 *   carries it and `sls deploy --package dir` finds it again (osls copies the whole folder).
 * - Wire (after:aws:package:finalize:mergeCustomProviderResources, when `resources:` is in the
 *   template and before it is written): Code.S3 = the deployment bucket and the content-addressed
 *   key <prefix>/<service>/<stage>/code-artifacts/agentcore/<LogicalId>-<sha256>.zip. The key
 *   lives outside the timestamped deployment folders, so osls's cleanup never removes a zip a
 *   runtime version still uses, and the Runtime only gets a new version when the bundle's bytes
 *   change. Names the service would reject but cfn-lint lets through are refused here.
 * - Upload (aws:deploy:deploy:uploadArtifacts: after osls uploaded the template and Lambda zips,
 *   before the stack update): HeadObject, PutObject only when the key is missing, then a small
 *   pointer object in this deployment's folder carrying the zip's hash. osls decides "no changes,
 *   deployment skipped" by comparing the hashes of every zip under .serverless/ with the
 *   `filesha256` metadata of the objects in the latest deployment folder; the pointer keeps that
 *   working. Nothing is sent when osls has already decided not to deploy.
 *
 * osls 4 has no provider.request(): the S3 client is the AWS SDK v3 one, configured by
 * provider.getAwsSdkV3Config(). CommonJS because the repository is "type": "module" and the
 * framework `require`s plugins.
 */
const { createHash } = require('node:crypto');
const { mkdir, readFile, writeFile } = require('node:fs/promises');
const { basename, join, resolve } = require('node:path');

const runtimeType = 'AWS::BedrockAgentCore::Runtime';
/** The service's rule for runtime names (cfn-lint's pattern is unanchored, so it lets hyphens through). */
const runtimeNamePattern = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
const contentAddressed = /-([0-9a-f]{64})\.zip$/;
/**
 * 1980-01-01 00:00, the earliest time a zip entry can hold, so no build time leaks into the bytes.
 * A zip's DOS timestamp is local time: this is local midnight (not UTC) and written without
 * yazl's UTC "UT" extra field (forceDosTimestamp), so the bytes are the same in every time zone.
 */
const fixedMtime = new Date(1980, 0, 1);
/** A regular file, rw-r--r--: AgentCore keeps the zip's POSIX permissions. */
const fileMode = 0o100644;

/**
 * The esbuild options of custom.esbuild that mean the same for this bundle. The rest of that
 * block belongs to serverless-esbuild (packager, exclude, …); platform and format are fixed.
 */
const sharedEsbuildOptions = [
  'bundle',
  'minify',
  'keepNames',
  'sourcemap',
  'target',
  'define',
  'loader',
  'mainFields',
  'conditions',
  'legalComments',
  'banner',
  'footer',
  'alias',
  'tsconfig',
  'charset',
  'treeShaking',
  'external',
];

function sha256(data, encoding) {
  return createHash('sha256').update(data).digest(encoding);
}

/**
 * Zip with fixed mtimes and modes and sorted entries, so equal inputs give equal bytes. Entries
 * are stored, not deflated: deflate's output depends on the zlib build (Node's zlib picks
 * CPU-specific code paths), and the key must not change with the machine that packaged it. The
 * bundle is a few MB; the runtime accepts 250 MB.
 */
function deterministicZip(files) {
  const { ZipFile } = require('yazl');
  const zip = new ZipFile();
  const sorted = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, data] of sorted)
    zip.addBuffer(data, name, { mtime: fixedMtime, forceDosTimestamp: true, mode: fileMode, compress: false });
  zip.end();
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    zip.outputStream.on('data', (chunk) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolvePromise(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** esbuild options for the runtime bundle: custom.esbuild's shared options, node, CommonJS, one file. */
function esbuildOptionsFor(customEsbuild, { serviceDir, entry, file }) {
  const shared = {};
  for (const key of sharedEsbuildOptions) if (customEsbuild?.[key] !== undefined) shared[key] = customEsbuild[key];
  return {
    ...shared,
    absWorkingDir: serviceDir,
    entryPoints: [resolve(serviceDir, entry)],
    outfile: file,
    platform: 'node',
    format: 'cjs',
    write: false,
  };
}

/** The bundle as a deterministic zip: { zip, sha256 (hex) }. */
async function buildArtifact(options) {
  const esbuild = require('esbuild');
  const result = await esbuild.build(options);
  const names = result.outputFiles.map((f) => basename(f.path));
  if (names.length !== 1 || names[0] !== options.outfile) {
    throw new Error(`the runtime bundle must be the single file ${options.outfile}, esbuild wrote ${names.join(', ')}`);
  }
  const zip = await deterministicZip(result.outputFiles.map((f) => [basename(f.path), Buffer.from(f.contents)]));
  return { zip, sha256: sha256(zip, 'hex') };
}

/** PutObject's encryption fields from provider.deploymentBucket (the same mapping osls uses for its uploads). */
function encryptionParams(deploymentBucketObject) {
  const fields = [
    ['serverSideEncryption', 'ServerSideEncryption'],
    ['sseCustomerAlgorithim', 'SSECustomerAlgorithm'],
    ['sseCustomerKey', 'SSECustomerKey'],
    ['sseCustomerKeyMD5', 'SSECustomerKeyMD5'],
    ['sseKMSKeyId', 'SSEKMSKeyId'],
  ];
  const params = {};
  for (const [from, to] of fields) if (deploymentBucketObject?.[from]) params[to] = deploymentBucketObject[from];
  return params;
}

function isNotFound(error) {
  return error?.$metadata?.httpStatusCode === 404 || error?.name === 'NotFound' || error?.name === 'NoSuchKey';
}

/**
 * Uploads each target's zip under its content-addressed key unless that object is already
 * there with the same hash, then writes the pointer object into `pointerDirectory`.
 * `targets`: [{ logicalId, key, zip (Buffer) }]. `commands`: the S3 command classes.
 * Returns what it did per target, for the log and the tests.
 */
async function uploadArtifacts({ s3, commands, bucket, targets, pointerDirectory, encryption = {}, log }) {
  const done = [];
  for (const { logicalId, key, zip } of targets) {
    const hex = contentAddressed.exec(key)?.[1];
    if (!hex) throw new Error(`${logicalId}: ${key} is not a content-addressed key`);
    if (sha256(zip, 'hex') !== hex) {
      throw new Error(`${logicalId}: the zip in .serverless/agentcore/ does not match ${key}; package again`);
    }
    // osls's own format for the filesha256 metadata (utils/get-hash-for-file-path): base64.
    const filesha256 = sha256(zip, 'base64');
    let present = false;
    try {
      const head = await s3.send(new commands.HeadObjectCommand({ Bucket: bucket, Key: key }));
      present = head?.Metadata?.filesha256 === filesha256;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!present) {
      await s3.send(
        new commands.PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: zip,
          ContentType: 'application/zip',
          // S3 checks the bytes against this and refuses a corrupted upload.
          ChecksumSHA256: filesha256,
          Metadata: { filesha256 },
          ...encryption,
        }),
      );
      log?.info?.(`AgentCore ${logicalId}: uploaded s3://${bucket}/${key}`);
    } else {
      log?.info?.(`AgentCore ${logicalId}: s3://${bucket}/${key} is already there`);
    }
    const pointerKey = `${pointerDirectory}/agentcore/${logicalId}.json`;
    await s3.send(
      new commands.PutObjectCommand({
        Bucket: bucket,
        Key: pointerKey,
        Body: JSON.stringify({ logicalId, key }),
        ContentType: 'application/json',
        Metadata: { filesha256 },
        ...encryption,
      }),
    );
    done.push({ logicalId, key, uploaded: !present, pointerKey });
  }
  return done;
}

class AgentCoreArtifactPlugin {
  /**
   * `createS3` is for the tests: a function returning { s3, commands }. By default, the AWS SDK's
   * S3 client with the framework's credentials and region.
   */
  constructor(serverless, options, { log } = {}, createS3 = undefined) {
    this.serverless = serverless;
    this.options = options || {};
    this.log = log || console;
    this.provider = serverless.getProvider('aws');
    this.createS3 = createS3 || (async () => this.defaultS3());
    this.hooks = {
      'after:package:createDeploymentArtifacts': () => this.build(),
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.wire(),
      'aws:deploy:deploy:uploadArtifacts': () => this.upload(),
    };
  }

  get config() {
    return this.serverless.service.custom?.agentcoreArtifacts || {};
  }

  get dir() {
    return join(this.serverless.serviceDir, '.serverless', 'agentcore');
  }

  zipPath(logicalId) {
    return join(this.dir, `${logicalId}.zip`);
  }

  /** <prefix>/<service>/<stage>/code-artifacts/agentcore: osls's code-artifacts folder, outside any deployment folder. */
  keyPrefix() {
    const prefix = this.provider.getDeploymentPrefix();
    return `${prefix}/${this.serverless.service.service}/${this.provider.getStage()}/code-artifacts/agentcore`;
  }

  error(message) {
    return new this.serverless.classes.Error(message);
  }

  async build() {
    this.built = {};
    for (const [logicalId, cfg] of Object.entries(this.config)) {
      if (cfg.enabled !== true) continue;
      if (typeof cfg.entry !== 'string' || typeof cfg.file !== 'string') {
        throw this.error(
          `custom.agentcoreArtifacts.${logicalId} needs entry (a source file) and file (the bundle's name)`,
        );
      }
      const options = esbuildOptionsFor(this.serverless.service.custom?.esbuild, {
        serviceDir: this.serverless.serviceDir,
        entry: cfg.entry,
        file: cfg.file,
      });
      const { zip, sha256: hex } = await buildArtifact(options);
      await mkdir(this.dir, { recursive: true });
      await writeFile(this.zipPath(logicalId), zip);
      this.built[logicalId] = { key: `${this.keyPrefix()}/${logicalId}-${hex}.zip`, hex, file: cfg.file };
      this.log.info?.(`AgentCore ${logicalId}: ${zip.length} bytes, sha256 ${hex}`);
    }
  }

  wire() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const bucket = this.serverless.service.package.deploymentBucket || { Ref: 'ServerlessDeploymentBucket' };
    for (const [logicalId, cfg] of Object.entries(this.config)) {
      const resource = template.Resources?.[logicalId];
      if (resource?.Type !== runtimeType) {
        throw this.error(
          `custom.agentcoreArtifacts.${logicalId}: the template has no ${runtimeType} with that logical id`,
        );
      }
      const name = resource.Properties?.AgentRuntimeName;
      if (typeof name !== 'string' || !runtimeNamePattern.test(name)) {
        throw this.error(
          `${logicalId}: AgentRuntimeName ${JSON.stringify(name)} must be a letter then letters, digits or underscores, at most 48 (no hyphens)`,
        );
      }
      const code = resource.Properties?.AgentRuntimeArtifact?.CodeConfiguration;
      if (!code) throw this.error(`${logicalId}: AgentRuntimeArtifact.CodeConfiguration is missing`);
      if (code.Code !== undefined)
        throw this.error(`${logicalId}: leave CodeConfiguration.Code out; this plugin sets it`);
      const entryPoint = code.EntryPoint || [];
      if (entryPoint[entryPoint.length - 1] !== cfg.file) {
        throw this.error(`${logicalId}: EntryPoint ${JSON.stringify(entryPoint)} does not end with ${cfg.file}`);
      }
      const built = this.built?.[logicalId];
      if (cfg.enabled === true) {
        if (!built) throw this.error(`${logicalId}: not built; wire() ran before build()`);
        code.Code = { S3: { Bucket: bucket, Prefix: built.key } };
        resource.Metadata = { ...resource.Metadata, AgentCoreArtifactSha256: built.hex };
        continue;
      }
      // Not built: a Runtime pointing at a zip that was never uploaded must not be created.
      if (!resource.Condition) {
        throw this.error(`${logicalId}: its artifact is disabled, so the resource needs a Condition that is false`);
      }
      code.Code = { S3: { Bucket: bucket, Prefix: `${this.keyPrefix()}/${logicalId}-not-built.zip` } };
      resource.Metadata = {
        ...resource.Metadata,
        AgentCoreArtifact: `not built: condition ${resource.Condition} is false`,
      };
    }
  }

  /** The Runtimes whose template Code is a content-addressed key, i.e. built (also right for `deploy --package`). */
  targets() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate?.Resources || {};
    return Object.keys(this.config).flatMap((logicalId) => {
      const key = resources[logicalId]?.Properties?.AgentRuntimeArtifact?.CodeConfiguration?.Code?.S3?.Prefix;
      return typeof key === 'string' && contentAddressed.test(key) ? [{ logicalId, key }] : [];
    });
  }

  async upload() {
    const provider = this.serverless.service.provider;
    if (provider.shouldNotDeploy) return [];
    const targets = this.targets();
    if (targets.length === 0) return [];
    const withZips = await Promise.all(
      targets.map(async (t) => ({ ...t, zip: await readFile(this.zipPath(t.logicalId)) })),
    );
    const { s3, commands } = await this.createS3();
    return uploadArtifacts({
      s3,
      commands,
      bucket: await this.provider.getServerlessDeploymentBucketName(),
      targets: withZips,
      pointerDirectory: this.serverless.service.package.artifactDirectoryName,
      encryption: encryptionParams(provider.deploymentBucketObject),
      log: this.log,
    });
  }

  async defaultS3() {
    const { S3Client, HeadObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
    return {
      s3: new S3Client(await this.provider.getAwsSdkV3Config()),
      commands: { HeadObjectCommand, PutObjectCommand },
    };
  }
}

module.exports = AgentCoreArtifactPlugin;
module.exports.deterministicZip = deterministicZip;
module.exports.esbuildOptionsFor = esbuildOptionsFor;
module.exports.buildArtifact = buildArtifact;
module.exports.uploadArtifacts = uploadArtifacts;
module.exports.encryptionParams = encryptionParams;
