/** Every operation of every action spec has a route, and every route is in a spec (runtime twin of the typecheck). */
import { describe, expect, it } from 'vitest';
import { actionGroups, operationsOf, readSpec } from '../../scripts/lib/specs.js';
import { informationRoutes } from '../../src/action-groups/information/routes.js';
import { notesRoutes } from '../../src/action-groups/notes/routes.js';
import { schedulingRoutes } from '../../src/action-groups/scheduling/routes.js';

const routeTables: Record<(typeof actionGroups)[number], Record<string, unknown>> = {
  scheduling: schedulingRoutes,
  information: informationRoutes,
  notes: notesRoutes,
};

describe.each(actionGroups)('the %s action group', (group) => {
  it('routes exactly the operations its spec declares', () => {
    const declared = operationsOf(readSpec(group)).map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(Object.keys(routeTables[group]).sort()).toEqual(declared.sort());
  });
});
