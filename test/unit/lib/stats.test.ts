import { describe, expect, it } from 'vitest';
import { sourceOf, unbenchedFunctions } from '../../../scripts/bench/bundles.js';
import { readServerlessConfig } from '../../../scripts/bench/serverless-config.js';
import {
  formatMs,
  interleavedOrder,
  markdownTable,
  percentile,
  quantile,
  summarize,
} from '../../../scripts/lib/stats.js';

describe('quantile', () => {
  it.each([
    ['the median of an odd count is the middle value', [1, 2, 3, 4, 5], 0.5, 3],
    ['the median of an even count is the mean of the two middle values', [1, 2, 3, 4], 0.5, 2.5],
    ['q = 0 is the minimum', [3, 5, 8], 0, 3],
    ['q = 1 is the maximum', [3, 5, 8], 1, 8],
    ['a quantile between ranks interpolates linearly', [10, 20, 30, 40, 50], 0.9, 46],
    ['a single value is every quantile', [7], 0.99, 7],
  ])('%s', (_label, sorted, q, expected) => {
    // Act
    const value = quantile(sorted, q);

    // Assess
    expect(value).toBeCloseTo(expected, 10);
  });

  it('gives p99 of 1..100 between the 99th and 100th value', () => {
    // Arrange
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);

    // Act
    const p99 = quantile(sorted, 0.99);

    // Assess
    expect(p99).toBeCloseTo(99.01, 10);
  });

  it.each([
    ['no values', [], 0.5],
    ['q below 0', [1, 2], -0.1],
    ['q above 1', [1, 2], 1.5],
    ['q not a number', [1, 2], Number.NaN],
  ])('refuses %s', (_label, sorted, q) => {
    // Act
    const act = () => quantile(sorted, q);

    // Assess
    expect(act).toThrow();
  });
});

describe('summarize', () => {
  it('sorts the samples itself and reports count, mean and quantiles', () => {
    // Arrange
    const samples = [5, 1, 4, 2, 3];

    // Act
    const summary = summarize(samples);

    // Assess
    expect(summary).toMatchObject({ count: 5, mean: 3, min: 1, p50: 3, max: 5 });
    expect(summary.p90).toBeCloseTo(4.6, 10);
  });

  it('leaves the caller’s array in its own order', () => {
    // Arrange
    const samples = new Float64Array([3, 1, 2]);

    // Act
    summarize(samples);

    // Assess
    expect([...samples]).toEqual([3, 1, 2]);
  });
});

describe('interleavedOrder', () => {
  it('runs each item’s baseline and handler back to back, swapping the pair every round', () => {
    // Act
    const order = interleavedOrder(['a', 'b'], 2).map((slot) => `${slot.round}:${slot.item}:${slot.arm}`);

    // Assess
    expect(order).toEqual([
      '0:a:baseline',
      '0:a:handler',
      '0:b:baseline',
      '0:b:handler',
      '1:a:handler',
      '1:a:baseline',
      '1:b:handler',
      '1:b:baseline',
    ]);
  });

  it('gives every item the same number of runs of each arm', () => {
    // Act
    const order = interleavedOrder(['scheduling', 'chat', 'notes'], 5);

    // Assess
    for (const item of ['scheduling', 'chat', 'notes']) {
      for (const arm of ['baseline', 'handler']) {
        expect(order.filter((slot) => slot.item === item && slot.arm === arm)).toHaveLength(5);
      }
    }
  });

  it('puts each arm first in half of an even number of rounds', () => {
    // Act
    const order = interleavedOrder(['x'], 6);

    // Assess
    const firsts = order.filter((_, i) => i % 2 === 0).map((slot) => slot.arm);
    expect(firsts.filter((arm) => arm === 'baseline')).toHaveLength(3);
    expect(firsts.filter((arm) => arm === 'handler')).toHaveLength(3);
  });

  it('rotates three arms so each comes first in a third of the rounds', () => {
    // Act
    const order = interleavedOrder(['x'], 3, ['baseline', 'runtime', 'handler']).map((slot) => slot.arm);

    // Assess
    expect(order).toEqual([
      'baseline',
      'runtime',
      'handler',
      'runtime',
      'handler',
      'baseline',
      'handler',
      'baseline',
      'runtime',
    ]);
  });

  it('is empty for no rounds', () => {
    // Act
    const order = interleavedOrder(['x'], 0);

    // Assess
    expect(order).toEqual([]);
  });
});

describe('markdownTable', () => {
  it('pads columns and right-aligns the columns that hold only numbers', () => {
    // Act
    const table = markdownTable(
      ['function', 'ms', 'ratio'],
      [
        ['scheduling', '141.0', '1.37×'],
        ['chat', 9, '1.12×'],
      ],
    );

    // Assess
    expect(table.split('\n')).toEqual([
      '| function   |    ms | ratio |',
      '| ---------- | ----: | ----: |',
      '| scheduling | 141.0 | 1.37× |',
      '| chat       |     9 | 1.12× |',
    ]);
  });

  it('left-aligns a column with any text in it', () => {
    // Act
    const table = markdownTable(['budget'], [['PASS'], ['1']]);

    // Assess
    expect(table.split('\n')[1]).toBe('| ------ |');
  });
});

describe('npm run bench', () => {
  it('knows the SDK clients and runtime use of every function in serverless.yml', () => {
    const config = readServerlessConfig('dev');
    expect(config.functions.map((fn) => fn.name)).toContain('agentcore');
    expect(unbenchedFunctions(config)).toEqual([]);
  });

  it('starts the chat with the variables of its stage’s platform only, as the template’s conditions decide', () => {
    const agentVariables = (params?: Record<string, string>) => {
      const chat = readServerlessConfig('prod', params).functions.find((fn) => fn.name === 'chat');
      return Object.keys(chat?.environment ?? {}).filter((name) => name.startsWith('AGENT_'));
    };
    expect(agentVariables()).toEqual(['AGENT_PLATFORM', 'AGENT_ID', 'AGENT_ALIAS_ID']);
    expect(agentVariables({ agentPlatform: 'agentcore' })).toEqual([
      'AGENT_PLATFORM',
      'AGENT_RUNTIME_ARN',
      'AGENT_RUNTIME_QUALIFIER',
    ]);
    const chat = readServerlessConfig('prod', { agentPlatform: 'agentcore' }).functions.find(
      (fn) => fn.name === 'chat',
    );
    expect(chat?.environment.AGENT_RUNTIME_QUALIFIER).toBe('live');
    expect(chat?.environment.AGENT_RUNTIME_ARN).toBe('<GetAtt AgentRuntime.AgentRuntimeArn>');
  });
});

describe('sourceOf', () => {
  it.each([
    ['a scoped package', 'node_modules/@smithy/core/dist-es/submodules/protocols/index.js', '@smithy/core'],
    ['an unscoped package', 'node_modules/bowser/es5.js', 'bowser'],
    [
      'a package nested in another',
      'node_modules/@aws-sdk/lib-dynamodb/node_modules/@smithy/types/dist-es/index.js',
      '@smithy/types',
    ],
    ['our own source', 'src/chat/handler.ts', 'src'],
    ['generated code', 'generated/validators/pf360.cjs', 'generated'],
    ['an entry with no folder', 'baseline-chat.js', 'baseline-chat.js'],
  ])('names %s by its package or top folder', (_label, input, expected) => {
    // Act
    const source = sourceOf(input);

    // Assess
    expect(source).toBe(expected);
  });
});

describe('percentile and formatMs', () => {
  it('reads percentiles of unsorted samples and NaN for none', () => {
    expect(percentile([30, 10, 20], 50)).toBe(20);
    expect(percentile([], 95)).toBeNaN();
  });

  it('formats milliseconds for the load report', () => {
    expect([formatMs(3.0625), formatMs(123.6), formatMs(Number.NaN)]).toEqual(['3.1', '124', '–']);
  });
});
