/**
 * Checks an action-group spec against what Amazon Bedrock Agents accept (the rules are listed
 * in the README under "Contracts and generated code"): Bedrock rejects or silently misreads
 * schemas that plain OpenAPI validators accept, so these rules run in CI.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { deref, type OpenApiDoc, operationsOf } from './specs.js';

export interface Finding {
  file: string;
  operation?: string;
  rule: string;
  message: string;
}

/** Bedrock's name pattern for agents, action groups, functions and parameters. */
export const bedrockNamePattern = /^([0-9a-zA-Z][_-]?){1,100}$/;
export const limits = {
  operationsPerAgent: 11,
  parametersPerOperation: 5,
  operationDescription: 1200,
  parameterDescription: 500,
} as const;

/** Names that would let the model supply identity; identity comes from the session only. */
const identityName = /(^|[_-])(customer|client|tenant|token|auth|authorization|session|user)([_-]|$)/i;
const scalarTypes = new Set(['string', 'number', 'integer', 'boolean']);

export function formatFinding(f: Finding): string {
  return `${f.file}: ${f.operation ? `${f.operation}: ` : ''}[${f.rule}] ${f.message}`;
}

/** Validates any spec as OpenAPI (structure, $refs, types). */
export async function validateOpenApi(file: string, doc: OpenApiDoc): Promise<Finding[]> {
  try {
    await SwaggerParser.validate(structuredClone(doc) as never);
    return [];
  } catch (error) {
    return [{ file, rule: 'openapi-valid', message: (error as Error).message.split('\n').slice(0, 6).join(' ') }];
  }
}

/** Paths of every `enum` under `node`, following local $refs (each once). */
function findEnums(doc: OpenApiDoc, node: unknown, path: string, out: string[], seen = new Set<unknown>()): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      findEnums(doc, item, `${path}/${i}`, out, seen);
    });
    return;
  }
  const ref = (node as OpenApiDoc).$ref;
  if (typeof ref === 'string') {
    findEnums(doc, deref(doc, node as OpenApiDoc), ref, out, seen);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum') out.push(`${path}/enum`);
    findEnums(doc, value, `${path}/${key}`, out, seen);
  }
}

/** The Bedrock rules for one action-group spec. `seenOperationIds` spans the files of one run. */
export function lintActionSpec(file: string, doc: OpenApiDoc, seenOperationIds = new Map<string, string>()): Finding[] {
  const findings: Finding[] = [];
  const report = (rule: string, message: string, operation?: string) => {
    findings.push(operation === undefined ? { file, rule, message } : { file, operation, rule, message });
  };

  if (typeof doc.openapi !== 'string' || !/^3\.0\.\d+$/.test(doc.openapi)) {
    report('openapi-version', `openapi must be 3.0.x (Bedrock rejects other versions; use 3.0.0), got ${doc.openapi}`);
  }
  const componentEnums: string[] = [];
  findEnums(doc, doc.components, '#/components', componentEnums);
  for (const at of componentEnums) {
    report('no-enum', `Bedrock does not support enum; describe the allowed values instead (${at})`);
  }

  const operations = operationsOf(doc);
  if (operations.length === 0) report('has-operations', 'the spec declares no operations');
  if (operations.length > limits.operationsPerAgent) {
    report(
      'max-operations',
      `${operations.length} operations, but an agent takes at most ${limits.operationsPerAgent} APIs`,
    );
  }

  for (const { method, path, operation } of operations) {
    const opId: string | undefined = operation.operationId;
    const label = opId ?? `${method.toUpperCase()} ${path}`;
    if (!path.startsWith('/')) report('path-format', `path ${path} must start with /`, label);
    if (!opId) {
      report('operation-id', 'operationId is missing (tool-use models need it)', label);
    } else {
      if (!bedrockNamePattern.test(opId)) {
        report('name-pattern', `operationId ${opId} does not match ${bedrockNamePattern}`, label);
      }
      const previous = seenOperationIds.get(opId);
      if (previous !== undefined)
        report('unique-operation-id', `operationId ${opId} is also used in ${previous}`, label);
      seenOperationIds.set(opId, `${file} ${method.toUpperCase()} ${path}`);
    }
    const enums: string[] = [];
    findEnums(doc, operation, `#/paths/${path}/${method}`, enums);
    for (const at of enums) {
      report('no-enum', `Bedrock does not support enum; describe the allowed values instead (${at})`, label);
    }
    const description: unknown = operation.description;
    if (typeof description !== 'string' || description.trim() === '') {
      report('operation-description', 'the operation needs a description: it tells the model when to call it', label);
    } else if (description.length > limits.operationDescription) {
      report(
        'operation-description',
        `description is ${description.length} characters; keep it within ${limits.operationDescription}`,
        label,
      );
    }
    if (!operation.responses || Object.keys(operation.responses).length === 0) {
      report('responses', 'the operation needs responses', label);
    }
    for (const [status, raw] of Object.entries<OpenApiDoc>(operation.responses ?? {})) {
      const response = deref(doc, raw);
      const media = response?.content ? Object.values<OpenApiDoc>(response.content) : [];
      if (media.length === 0 || media.some((m) => !m.schema)) {
        report('response-schema', `response ${status} needs content with a schema`, label);
      }
    }

    const inputs: { name: string; description: unknown; schema: OpenApiDoc; where: string }[] = [];
    for (const raw of operation.parameters ?? []) {
      const p = deref(doc, raw);
      if (p.in !== 'path' && p.in !== 'query') {
        report('parameter-location', `parameter ${p.name} is in ${p.in}; Bedrock only passes path and query`, label);
      }
      inputs.push({ name: p.name, description: p.description, schema: deref(doc, p.schema ?? {}), where: 'parameter' });
    }
    if (operation.requestBody) {
      if (method === 'get' || method === 'delete') {
        report('no-body-on-get-delete', `${method.toUpperCase()} must not have a requestBody`, label);
      }
      const content = deref(doc, operation.requestBody).content ?? {};
      const body = content['application/json']?.schema ? deref(doc, content['application/json'].schema) : undefined;
      if (!body) {
        report('body-media-type', 'the requestBody needs an application/json schema', label);
      } else {
        if (body.type !== 'object' || !body.properties) {
          report('flat-body', 'the requestBody must be an object of scalar properties', label);
        }
        for (const [name, raw] of Object.entries<OpenApiDoc>(body.properties ?? {})) {
          const prop = deref(doc, raw);
          inputs.push({ name, description: prop.description, schema: prop, where: 'body property' });
        }
      }
    }
    if (inputs.length > limits.parametersPerOperation) {
      report(
        'max-parameters',
        `${inputs.length} parameters; Bedrock allows at most ${limits.parametersPerOperation} per operation`,
        label,
      );
    }
    const names = new Set<string>();
    for (const input of inputs) {
      if (names.has(input.name)) {
        report('unique-parameter-name', `${input.name} appears twice (Bedrock flattens locations)`, label);
      }
      names.add(input.name);
      if (!bedrockNamePattern.test(input.name)) {
        report('name-pattern', `${input.where} ${input.name} does not match ${bedrockNamePattern}`, label);
      }
      if (identityName.test(input.name)) {
        report(
          'no-identity-input',
          `${input.where} ${input.name} looks like identity; it must come from the session, not the model`,
          label,
        );
      }
      if (typeof input.description !== 'string' || input.description.trim() === '') {
        report('parameter-description', `${input.where} ${input.name} needs a description`, label);
      } else if (input.description.length > limits.parameterDescription) {
        report(
          'parameter-description',
          `${input.where} ${input.name} description is ${input.description.length} characters; at most ${limits.parameterDescription}`,
          label,
        );
      }
      if (!scalarTypes.has(input.schema.type)) {
        report(
          input.where === 'body property' ? 'flat-body' : 'parameter-type',
          `${input.where} ${input.name} must be a string, number, integer or boolean, not ${input.schema.type ?? 'untyped'}`,
          label,
        );
      }
    }
  }
  return findings;
}
