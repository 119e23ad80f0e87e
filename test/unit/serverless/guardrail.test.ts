/**
 * scripts/serverless/guardrail.cjs: the guardrail's properties built from serverless.yml params,
 * the limits it enforces, and the settings hash that cuts a new guardrail version.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Settings {
  blockedInputMessage: string;
  blockedOutputMessage: string;
  promptAttackStrength: string;
  contentFilters: Record<string, { input: string; output: string }>;
  deniedTopics: { name: string; definition: string; examples?: string[] }[];
}
interface Resolved {
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  contentPolicy: { FiltersConfig: { Type: string; InputStrength: string; OutputStrength: string }[] };
  topicPolicy: { TopicsConfig: { Name: string; Type: string; Definition: string; Examples: string[] }[] };
  settingsHash: string;
}

const resolver = createRequire(import.meta.url)('../../../scripts/serverless/guardrail.cjs') as {
  resolveGuardrail(settings: unknown): Resolved;
  settingsHash(policy: unknown): string;
};

function settings(): Settings {
  return {
    blockedInputMessage: '  Sorry, I can only help with your PF360 appointments.  ',
    blockedOutputMessage: 'Sorry, I cannot answer that.',
    promptAttackStrength: 'HIGH',
    contentFilters: { INSULTS: { input: 'LOW', output: 'HIGH' }, HATE: { input: 'HIGH', output: 'HIGH' } },
    deniedTopics: [
      { name: 'Pricing disputes', definition: 'Negotiating prices or refunds.', examples: ['Lower my invoice.'] },
      { name: 'Legal advice', definition: 'Legal advice or legal claims.' },
    ],
  };
}

describe('resolveGuardrail', () => {
  it('builds the guardrail properties: prompt attacks on input only, then the categories in a fixed order', () => {
    const resolved = resolver.resolveGuardrail(settings());
    expect(resolved.blockedInputMessaging).toBe('Sorry, I can only help with your PF360 appointments.');
    expect(resolved.blockedOutputsMessaging).toBe('Sorry, I cannot answer that.');
    expect(resolved.contentPolicy).toEqual({
      FiltersConfig: [
        { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' },
        { Type: 'HATE', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
        { Type: 'INSULTS', InputStrength: 'LOW', OutputStrength: 'HIGH' },
      ],
    });
    expect(resolved.topicPolicy).toEqual({
      TopicsConfig: [
        {
          Name: 'Pricing disputes',
          Type: 'DENY',
          Definition: 'Negotiating prices or refunds.',
          Examples: ['Lower my invoice.'],
        },
        { Name: 'Legal advice', Type: 'DENY', Definition: 'Legal advice or legal claims.', Examples: [] },
      ],
    });
  });

  it('hashes exactly the four policy properties, whatever the key order of the settings', () => {
    const resolved = resolver.resolveGuardrail(settings());
    expect(resolved.settingsHash).toMatch(/^[0-9a-f]{16}$/);
    expect(resolved.settingsHash).toBe(
      resolver.settingsHash({
        TopicPolicyConfig: resolved.topicPolicy,
        ContentPolicyConfig: resolved.contentPolicy,
        BlockedOutputsMessaging: resolved.blockedOutputsMessaging,
        BlockedInputMessaging: resolved.blockedInputMessaging,
      }),
    );
    const reordered = Object.fromEntries(Object.entries(settings()).reverse());
    expect(resolver.resolveGuardrail(reordered).settingsHash).toBe(resolved.settingsHash);
  });

  it('changes the hash (a new guardrail version) when any setting changes', () => {
    const before = resolver.resolveGuardrail(settings()).settingsHash;
    const changes: ((s: Settings) => void)[] = [
      (s) => {
        s.blockedInputMessage = 'Other words.';
      },
      (s) => {
        s.blockedOutputMessage = 'Other words.';
      },
      (s) => {
        s.promptAttackStrength = 'MEDIUM';
      },
      (s) => {
        s.contentFilters.INSULTS = { input: 'MEDIUM', output: 'HIGH' };
      },
      (s) => {
        s.contentFilters.VIOLENCE = { input: 'LOW', output: 'LOW' };
      },
      (s) => {
        s.deniedTopics[0]?.examples?.push('Give me a discount.');
      },
      (s) => {
        s.deniedTopics.pop();
      },
    ];
    const hashes = changes.map((change) => {
      const changed = settings();
      change(changed);
      return resolver.resolveGuardrail(changed).settingsHash;
    });
    for (const hash of hashes) expect(hash).not.toBe(before);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it.each([
    [(s: Settings) => (s.promptAttackStrength = 'NONE'), /promptAttackStrength must not be NONE/],
    [(s: Settings) => (s.promptAttackStrength = 'high'), /promptAttackStrength must be one of NONE, LOW, MEDIUM, HIGH/],
    [
      (s: Settings) => (s.contentFilters.PROFANITY = { input: 'LOW', output: 'LOW' }),
      /contentFilters\.PROFANITY is not a category/,
    ],
    [
      (s: Settings) => (s.contentFilters.HATE = { input: 'HIGH', output: 'MAX' }),
      /contentFilters\.HATE\.output must be one of/,
    ],
    [
      (s: Settings) => (s.blockedInputMessage = 'x'.repeat(501)),
      /blockedInputMessage has 501 characters; Bedrock accepts at most 500/,
    ],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the framework's variable syntax, on purpose.
    [(s: Settings) => (s.blockedOutputMessage = 'See ${self:custom.prefix}'), /blockedOutputMessage contains "\$\{"/],
    [(s: Settings) => (s.deniedTopics = []), /deniedTopics must list 1 to 30 topics/],
    [
      (s: Settings) => ((s.deniedTopics[0] as { name: string }).name = 'Prices: no'),
      /deniedTopics\[0\]\.name may hold letters/,
    ],
    [
      (s: Settings) => ((s.deniedTopics[1] as { name: string }).name = 'Pricing disputes'),
      /deniedTopics\[1\]\.name repeats/,
    ],
    [
      (s: Settings) => ((s.deniedTopics[0] as { definition: string }).definition = 'd'.repeat(201)),
      /deniedTopics\[0\]\.definition has 201 characters/,
    ],
    [
      (s: Settings) => ((s.deniedTopics[0] as { examples: string[] }).examples = Array(6).fill('x')),
      /at most 5 examples/,
    ],
    [
      (s: Settings) => ((s.deniedTopics[0] as { examples: string[] }).examples = ['e'.repeat(101)]),
      /examples\[0\] has 101 characters/,
    ],
  ])('refuses a setting the service would reject (%#)', (change, message) => {
    const bad = settings();
    change(bad);
    expect(() => resolver.resolveGuardrail(bad)).toThrow(message);
  });
});
