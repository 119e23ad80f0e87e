/**
 * A conditional UpdateItem as data: what to SET, REMOVE and ADD, under which condition. The
 * DynamoDB stores compile a plan to UpdateItem parameters (`toUpdateParams`); the in-memory
 * stores used by unit tests apply the same plan to an item (`applyPlan`) with DynamoDB's
 * semantics, so the two cannot drift apart — and one contract suite runs on both
 * (test/contract/session-store-contract.ts).
 */

/** A document path: top-level attribute, then map keys. */
export type Path = readonly string[];

export type Condition =
  | { exists: Path }
  | { absent: Path }
  | { equals: Path; value: unknown }
  /** The number at `path` is greater than `value`. */
  | { greaterThan: Path; value: number }
  | { and: readonly Condition[] }
  | { or: readonly Condition[] }
  | { not: Condition };

export interface UpdatePlan {
  set?: readonly (readonly [Path, unknown])[];
  remove?: readonly Path[];
  /** Numbers added to (created at 0 when missing). */
  add?: readonly (readonly [Path, number])[];
  condition?: Condition;
}

export type Item = Record<string, unknown>;

/** The UpdateItem parameters of a plan (names and values as placeholders, never inlined). */
export interface UpdateParams {
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

export function toUpdateParams(plan: UpdatePlan): UpdateParams {
  const names = new Map<string, string>();
  const values: Record<string, unknown> = {};
  const name = (part: string) => {
    let placeholder = names.get(part);
    if (!placeholder) {
      placeholder = `#n${names.size}`;
      names.set(part, placeholder);
    }
    return placeholder;
  };
  const path = (p: Path) => p.map(name).join('.');
  const value = (v: unknown) => {
    const placeholder = `:v${Object.keys(values).length}`;
    values[placeholder] = v;
    return placeholder;
  };
  const condition = (c: Condition): string => {
    if ('exists' in c) return `attribute_exists(${path(c.exists)})`;
    if ('absent' in c) return `attribute_not_exists(${path(c.absent)})`;
    if ('equals' in c) return `${path(c.equals)} = ${value(c.value)}`;
    if ('greaterThan' in c) return `${path(c.greaterThan)} > ${value(c.value)}`;
    if ('and' in c) return `(${c.and.map(condition).join(' AND ')})`;
    if ('not' in c) return `(NOT ${condition(c.not)})`;
    return `(${c.or.map(condition).join(' OR ')})`;
  };
  const clauses = [
    plan.set?.length ? `SET ${plan.set.map(([p, v]) => `${path(p)} = ${value(v)}`).join(', ')}` : '',
    plan.remove?.length ? `REMOVE ${plan.remove.map(path).join(', ')}` : '',
    plan.add?.length ? `ADD ${plan.add.map(([p, n]) => `${path(p)} ${value(n)}`).join(', ')}` : '',
  ].filter(Boolean);
  const conditionExpression = plan.condition ? condition(plan.condition) : undefined;
  return {
    UpdateExpression: clauses.join(' '),
    ...(conditionExpression ? { ConditionExpression: conditionExpression } : {}),
    ExpressionAttributeNames: Object.fromEntries([...names].map(([part, placeholder]) => [placeholder, part])),
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

/** A condition alone, for a conditional PutItem (names and values as placeholders, as in toUpdateParams). */
export function toConditionParams(
  condition: Condition,
): Required<Pick<UpdateParams, 'ConditionExpression' | 'ExpressionAttributeNames'>> &
  Pick<UpdateParams, 'ExpressionAttributeValues'> {
  const { UpdateExpression: _none, ConditionExpression = '', ...placeholders } = toUpdateParams({ condition });
  return { ConditionExpression, ...placeholders };
}

/** DynamoDB refused the plan: a SET below a map that does not exist (its ValidationException). */
export class InvalidDocumentPathError extends Error {
  override name = 'InvalidDocumentPathError';
}

function isMap(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function read(item: Item | undefined, path: Path): unknown {
  let node: unknown = item;
  for (const part of path) {
    if (!isMap(node) || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

function holds(item: Item | undefined, c: Condition): boolean {
  if ('exists' in c) return read(item, c.exists) !== undefined;
  if ('absent' in c) return read(item, c.absent) === undefined;
  if ('equals' in c) return JSON.stringify(read(item, c.equals)) === JSON.stringify(c.value);
  if ('greaterThan' in c) {
    const found = read(item, c.greaterThan);
    return typeof found === 'number' && found > c.value;
  }
  if ('and' in c) return c.and.every((part) => holds(item, part));
  if ('not' in c) return !holds(item, c.not);
  return c.or.some((part) => holds(item, part));
}

/** The map that holds the last part of `path`, or an error DynamoDB would also raise. */
function parentOf(item: Item, path: Path): Item {
  let node: Item = item;
  for (const part of path.slice(0, -1)) {
    const next = Object.hasOwn(node, part) ? node[part] : undefined;
    if (!isMap(next)) {
      throw new InvalidDocumentPathError(`The document path ${path.join('.')} is invalid for update`);
    }
    node = next;
  }
  return node;
}

/**
 * The item after the plan, or `undefined` when its condition fails (DynamoDB's
 * ConditionalCheckFailedException). As UpdateItem does, a missing item starts empty, under
 * `key`. The input is not modified; values are copied in, so the caller's objects stay its own.
 */
export function applyPlan(current: Item | undefined, plan: UpdatePlan, key: Item): Item | undefined {
  if (plan.condition && !holds(current, plan.condition)) return undefined;
  const item: Item = structuredClone(current ?? key);
  for (const [path, value] of plan.set ?? []) {
    parentOf(item, path)[path.at(-1) as string] = structuredClone(value);
  }
  for (const path of plan.remove ?? []) {
    const parent = read(item, path.slice(0, -1));
    if (isMap(parent)) delete parent[path.at(-1) as string];
  }
  for (const [path, amount] of plan.add ?? []) {
    const parent = parentOf(item, path);
    const last = path.at(-1) as string;
    const before = Object.hasOwn(parent, last) ? parent[last] : 0;
    parent[last] = (typeof before === 'number' ? before : 0) + amount;
  }
  return item;
}
