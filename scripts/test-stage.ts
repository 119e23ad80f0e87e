/**
 * `npm run test:stage -- --stage <dev|qa|staging|prod> [--region <region>] [--allow-real-writes]`
 *
 * Runs the checks in test/stage — the same ones `npm test` runs on the local stack — against a
 * deployed stage: genuine Bedrock events go to the stage's action-group Lambdas through the
 * Lambda Invoke API, and the checks' sessions live in the stage's sessions table. Needs AWS
 * credentials that may read the functions' configuration, invoke them, put/delete items
 * in the sessions table and query the audit table.
 *
 * The stage's settings are read from its deployed scheduling function, not assumed: the
 * sessions table, USE_MOCK_API and the write flags. The writing checks (a booking, a
 * cancellation of that booking, a note) run only when the stage answers from the spec examples,
 * or when --allow-real-writes accepts that they reach PF360; otherwise only the reads run.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { failUsage, readCommandLine } from './lib/cli.js';
import { repoRoot } from './lib/specs.js';
import { stages } from './lint-cfn.js';

const command = {
  name: 'test:stage',
  usage: 'usage: npm run test:stage -- --stage <dev|qa|staging|prod> [--region <region>] [--allow-real-writes]',
  summary:
    "Runs the conversation checks of test/stage against a deployed stage's action-group Lambdas (Lambda Invoke API, the stage's sessions table), with the usual AWS credentials.",
  options: {
    stage: { type: 'string' },
    region: { type: 'string' },
    'allow-real-writes': { type: 'boolean' },
  },
  optionHelp: {
    stage: 'the deployed stage (required)',
    region: 'its AWS region (default AWS_REGION, AWS_DEFAULT_REGION or us-east-1)',
    'allow-real-writes': 'also run the write checks where they reach the real PF360',
  },
} as const;

function fail(message: string): never {
  return failUsage({ name: command.name }, message);
}

const { values: flags } = readCommandLine(command);
const stage = flags.stage;
if (!stage) fail(command.usage);
if (!(stages as readonly string[]).includes(stage)) fail(`unknown stage ${stage}; use one of ${stages.join(', ')}`);
const region = flags.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
const allowRealWrites = flags['allow-real-writes'] === true;

const functionPrefix = `pf360-agent-${stage}-`;
const scheduling = `${functionPrefix}scheduling`;

let settings: Record<string, string>;
try {
  const lambda = new LambdaClient({ region });
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: scheduling }));
  settings = config.Environment?.Variables ?? {};
} catch (error) {
  const { name, message } = error as Error;
  if (name === 'ResourceNotFoundException') {
    fail(`${scheduling} does not exist in ${region}: deploy the stage first (npx sls deploy --stage ${stage}).`);
  }
  if (name === 'CredentialsProviderError') {
    fail('no AWS credentials found: sign in (e.g. aws sso login) or export AWS_PROFILE, then run again.');
  }
  fail(`cannot read ${scheduling}'s configuration in ${region}: ${name}: ${message}`);
}

const sessionsTable = settings.SESSIONS_TABLE;
const auditTable = settings.AUDIT_TABLE;
if (!sessionsTable || !auditTable) {
  fail(`${scheduling} has no SESSIONS_TABLE or AUDIT_TABLE setting; is it this project's function?`);
}
const mock = settings.USE_MOCK_API === 'true';
const realConfirm = settings.ENABLE_REAL_CONFIRM === 'true';
const realCancel = settings.ENABLE_REAL_CANCEL === 'true';
const runWrites = mock || allowRealWrites;

const onOff = (on: boolean) => (on ? 'on' : 'off');
process.stdout.write(
  [
    `stage ${stage} in ${region}: functions ${functionPrefix}*, sessions in ${sessionsTable}`,
    `PF360: ${mock ? 'answered from the spec examples (USE_MOCK_API)' : (settings.PF360_BASE_URL ?? 'the real API')}; real booking ${onOff(realConfirm)}, real cancel ${onOff(realCancel)}`,
    runWrites
      ? `running the read and the write checks${mock ? '' : ' (--allow-real-writes: a note and, with real booking on, a booking and its cancellation reach PF360)'}`
      : 'running the read checks only: this stage calls the real PF360, where a note is always real; add --allow-real-writes to run the write checks too',
    '',
  ].join('\n'),
);

const files = ['test/stage/reads.test.ts', ...(runWrites ? ['test/stage/writes.test.ts'] : [])];
const vitest = spawnSync(
  join(repoRoot, 'node_modules/.bin/vitest'),
  ['run', '--config', 'vitest.stage.config.ts', ...files],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      AWS_REGION: region,
      TEST_STAGE: stage,
      TEST_FUNCTION_PREFIX: functionPrefix,
      SESSIONS_TABLE: sessionsTable,
      AUDIT_TABLE: auditTable,
      TEST_REAL_CONFIRM: String(realConfirm),
      TEST_REAL_CANCEL: String(realCancel),
    },
  },
);
process.exit(vitest.status ?? 1);
