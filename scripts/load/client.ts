/**
 * The load generator of `npm run load`, in its own process (as the portal and Bedrock are, in
 * real life), so its own HTTP and bookkeeping do not steal the handlers' event loop. Each
 * customer alternates conversations between the two passes — through the gateway, then with the
 * raw calls — so both see the same conditions (DynamoDB Local's latency drifts with its JIT, GC
 * and SQLite); half the customers start with each. Samples go back to the parent.
 */
import { runCustomer, type Sample, type StepRunner } from './conversation.js';
import { gatewayStep } from './gateway-pass.js';
import { type RawTargets, rawStep } from './raw.js';

export interface ClientConfig {
  base: string;
  raw: RawTargets;
  users: number;
  durationS: number;
  thinkMs: number;
  warmupS: number;
}

export interface ClientResult {
  viaGateway: { samples: Sample[]; seconds: number };
  raw: { samples: Sample[]; seconds: number };
}

async function run(config: ClientConfig, runners: readonly StepRunner[], seconds: number): Promise<Sample[][]> {
  const byPass: Sample[][] = runners.map(() => []);
  const deadline = Date.now() + seconds * 1000;
  // Customers arrive spread over the first second (or think time), not all at the same instant.
  const spread = Math.min(1000, Math.max(config.thinkMs, 100));
  await Promise.all(
    Array.from({ length: config.users }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (spread * i) / config.users));
      // Half the customers start with each pass, so both always run side by side.
      const order = i % 2 === 0 ? runners : [...runners].reverse();
      await runCustomer(deadline, config.thinkMs, order, (pass, sample) => {
        byPass[i % 2 === 0 ? pass : runners.length - 1 - pass]?.push(sample);
      });
    }),
  );
  return byPass;
}

export async function runLoad(config: ClientConfig): Promise<ClientResult> {
  const runners = [gatewayStep(config.base), rawStep(config.raw)];
  // Both start warm: the JVM, Prism and our code paths compiled, connections open.
  if (config.warmupS > 0) await run(config, runners, config.warmupS);
  const started = Date.now();
  const [viaGateway = [], raw = []] = await run(config, runners, config.durationS);
  const seconds = (Date.now() - started) / 1000;
  return { viaGateway: { samples: viaGateway, seconds }, raw: { samples: raw, seconds } };
}

process.once('message', async (config: ClientConfig) => {
  const result = await runLoad(config);
  process.send?.(result, () => process.exit(0));
});
