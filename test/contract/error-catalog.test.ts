/**
 * The error catalog (src/domain/errors.ts) and the specs say the same thing: every code the
 * service can answer with is documented in a spec's error responses, under the status the
 * catalog gives it, and every code a spec documents exists in the catalog.
 */
import { describe, expect, it } from 'vitest';
import {
  actionGroups,
  deref,
  type OpenApiDoc,
  operationsOf,
  readSpec,
  type SpecName,
} from '../../scripts/lib/specs.js';
import { errorCatalog, isErrorCode } from '../../src/domain/errors.js';

interface Documented {
  spec: SpecName;
  operation: string;
  status: string;
  code: string;
}

/** Codes listed in a response description ("… error_type: a, b.") or given by its examples. */
function codesOf(doc: OpenApiDoc, response: OpenApiDoc): string[] {
  const resolved = deref(doc, response);
  const listed = /error_type: ([a-z_, ]+)\.$/.exec(String(resolved.description ?? '').trim())?.[1];
  const examples = Object.values<OpenApiDoc>(resolved.content?.['application/json']?.examples ?? {});
  return [
    ...(listed ? listed.split(',').map((c) => c.trim()) : []),
    ...examples.map((e) => deref(doc, e).value?.error_type).filter((c): c is string => typeof c === 'string'),
  ];
}

const specs: SpecName[] = [...actionGroups, 'chat', 'agentcore-runtime'];
const documented: Documented[] = specs.flatMap((spec) => {
  const doc = readSpec(spec);
  return operationsOf(doc).flatMap(({ operation }) =>
    Object.entries<OpenApiDoc>(operation.responses ?? {})
      .filter(([status]) => Number(status) >= 400)
      .flatMap(([status, response]) =>
        codesOf(doc, response).map((code) => ({ spec, operation: operation.operationId, status, code })),
      ),
  );
});

describe('the error catalog and the specs', () => {
  it('documents every code of the catalog in some spec', () => {
    // Act
    const undocumented = Object.keys(errorCatalog).filter((code) => !documented.some((d) => d.code === code));

    // Assess
    expect(undocumented).toEqual([]);
  });

  it('knows every code a spec documents', () => {
    // Act
    const unknown = documented.filter((d) => !isErrorCode(d.code));

    // Assess
    expect(unknown).toEqual([]);
  });

  it('documents each code under the status the catalog gives it', () => {
    // Act
    const misplaced = documented.filter((d) => isErrorCode(d.code) && String(errorCatalog[d.code].status) !== d.status);

    // Assess
    expect(misplaced).toEqual([]);
  });

  it.each(actionGroups)('lists the codes of every error response of the %s actions', (group) => {
    // Prepare
    const doc = readSpec(group);

    // Act
    const bare = operationsOf(doc).flatMap(({ operation }) =>
      Object.entries<OpenApiDoc>(operation.responses)
        .filter(([status, response]) => Number(status) >= 400 && codesOf(doc, response).length === 0)
        .map(([status]) => `${operation.operationId} ${status}`),
    );

    // Assess
    expect(bare).toEqual([]);
  });
});
