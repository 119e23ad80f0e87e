/** Pure helpers of `npm run bench` and `npm run load`: quantiles, the interleaved run order, Markdown tables. */

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending `sorted` values, interpolating linearly between the
 * two nearest ranks (the "type 7" definition of R and NumPy), so that q = 0.5 of an even count is
 * the usual median, the mean of the two middle values.
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile must be between 0 and 1, got ${q}`);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export interface Summary {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    mean: total / sorted.length,
    min: quantile(sorted, 0),
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: quantile(sorted, 1),
  };
}

/**
 * The SDK-only baseline, the baseline plus the Node runtime features every request uses, for
 * bundles that carry the agent the baseline plus those plus the agent SDK itself (framework), and
 * our handler.
 */
export type Arm = 'baseline' | 'runtime' | 'framework' | 'handler';

export interface Slot<T> {
  item: T;
  arm: Arm;
  round: number;
}

/**
 * The order of cold starts: every round visits every item, and each item's arms run back to
 * back, so they see the same machine state (another process's load, CPU frequency, page cache).
 * Each round rotates the arms (A B, B A, … or A B C, B C A, C A B, …): a drift over the run then
 * weighs on every arm equally instead of always favouring the arm that goes first.
 */
export function interleavedOrder<T>(
  items: readonly T[],
  rounds: number,
  arms: readonly Arm[] = ['baseline', 'handler'],
): Slot<T>[] {
  const order: Slot<T>[] = [];
  for (let round = 0; round < rounds; round++) {
    const shift = round % arms.length;
    const rotated = [...arms.slice(shift), ...arms.slice(0, shift)];
    for (const item of items) for (const arm of rotated) order.push({ item, arm, round });
  }
  return order;
}

const numeric = /^[-+]?[\d.,]+ ?[×%]?$/;

/** A Markdown table; columns of numbers are right-aligned (they are compared down a column). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const right = headers.map((_, i) => rows.length > 0 && cells.slice(1).every((row) => numeric.test(row[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, i) => (right[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, i) => (right[i] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}

/** Milliseconds for a report: one decimal below 100, none above; a dash for no samples. */
export function formatMs(value: number): string {
  return Number.isNaN(value) ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** The p-th percentile (0-100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  return samples.length === 0 ? Number.NaN : quantile(Float64Array.from(samples).sort(), p / 100);
}
