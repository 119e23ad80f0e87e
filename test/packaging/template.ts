/**
 * What CloudFormation would create from a compiled template for one variant: the resources and
 * outputs whose Condition holds, with every Fn::If resolved and AWS::NoValue dropped. The packaging
 * tests assert on this "effective" template, so they check what a stage really gets rather than
 * the conditional superset the template holds.
 */
import type { Platform } from '../../scripts/lint-cfn.js';

// biome-ignore lint/suspicious/noExplicitAny: compiled CloudFormation templates are untyped JSON.
export type Cfn = any;

export interface Template {
  Parameters?: Record<string, Cfn>;
  Conditions?: Record<string, Cfn>;
  Resources: Record<string, Cfn>;
  Outputs?: Record<string, Cfn>;
}

/** The three conditions of infra/platform.yml, as a variant sets them. */
export function conditionsFor(platform: Platform, gateway: boolean): Record<string, boolean> {
  return {
    ClassicPlatform: platform === 'classic',
    AgentCorePlatform: platform === 'agentcore',
    AgentCoreGatewayEnabled: gateway,
  };
}

const noValue = Symbol('AWS::NoValue');

function resolveIfs(value: Cfn, conditions: Record<string, boolean>): Cfn {
  if (Array.isArray(value)) {
    return value.map((v) => resolveIfs(v, conditions)).filter((v) => v !== noValue);
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref' && value.Ref === 'AWS::NoValue') return noValue;
    if (keys.length === 1 && keys[0] === 'Fn::If') {
      const [name, whenTrue, whenFalse] = value['Fn::If'];
      if (!(name in conditions)) throw new Error(`Fn::If on unknown condition ${name}`);
      return resolveIfs(conditions[name] ? whenTrue : whenFalse, conditions);
    }
    const out: Record<string, Cfn> = {};
    for (const [key, child] of Object.entries(value)) {
      const resolved = resolveIfs(child, conditions);
      if (resolved !== noValue) out[key] = resolved;
    }
    return out;
  }
  return value;
}

function holds(entry: Cfn, conditions: Record<string, boolean>): boolean {
  if (!entry?.Condition) return true;
  if (!(entry.Condition in conditions)) throw new Error(`unknown condition ${entry.Condition}`);
  return conditions[entry.Condition] === true;
}

export function effective(template: Template, platform: Platform, gateway: boolean): Template {
  const conditions = conditionsFor(platform, gateway);
  const keep = (entries: Record<string, Cfn> = {}) =>
    Object.fromEntries(
      Object.entries(entries)
        .filter(([, entry]) => holds(entry, conditions))
        .map(([id, entry]) => [id, resolveIfs(entry, conditions)]),
    );
  return { Resources: keep(template.Resources), Outputs: keep(template.Outputs) };
}

/** Every Ref and GetAtt target in a value. */
export function referencedIds(value: Cfn, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencedIds(v, out);
  else if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') out.add(value.Ref);
    if (Array.isArray(value['Fn::GetAtt'])) out.add(value['Fn::GetAtt'][0]);
    if (typeof value['Fn::Sub'] === 'string') {
      for (const match of value['Fn::Sub'].matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z.]+)?\}/g)) {
        if (match[1]) out.add(match[1]);
      }
    }
    for (const child of Object.values(value)) referencedIds(child, out);
  }
  return out;
}
