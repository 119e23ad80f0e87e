import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  InvalidDocumentPathError,
  toUpdateParams,
  type UpdatePlan,
} from '../../../../src/adapters/dynamodb/update-plan.js';
import { thrown } from '../../../helpers/errors.js';

const key = { id: 'k' };

describe('toUpdateParams', () => {
  it('compiles SET, REMOVE, ADD and a condition, with every name and value as a placeholder', () => {
    // Prepare
    const plan: UpdatePlan = {
      set: [[['a', 'b'], 1]],
      remove: [['c']],
      add: [[['hits'], 1]],
      condition: { and: [{ exists: ['id'] }, { or: [{ absent: ['c'] }, { equals: ['c'], value: 'x' }] }] },
    };

    // Act
    const params = toUpdateParams(plan);

    // Assess
    expect(params).toStrictEqual({
      UpdateExpression: 'SET #n0.#n1 = :v0 REMOVE #n2 ADD #n3 :v1',
      ConditionExpression: '(attribute_exists(#n4) AND (attribute_not_exists(#n2) OR #n2 = :v2))',
      ExpressionAttributeNames: { '#n0': 'a', '#n1': 'b', '#n2': 'c', '#n3': 'hits', '#n4': 'id' },
      ExpressionAttributeValues: { ':v0': 1, ':v1': 1, ':v2': 'x' },
    });
  });

  it('gives the same attribute one placeholder wherever it appears', () => {
    // Act
    const params = toUpdateParams({ set: [[['exp'], 2]], condition: { greaterThan: ['exp'], value: 1 } });

    // Assess
    expect(params.ExpressionAttributeNames).toStrictEqual({ '#n0': 'exp' });
    expect(params.ConditionExpression).toBe('#n0 > :v1');
  });
});

describe('applyPlan', () => {
  it('sets nested members, removes, and adds to a number that starts at 0', () => {
    // Prepare
    const item = { id: 'k', m: { keep: 1 }, gone: true };

    // Act
    const next = applyPlan(
      item,
      {
        set: [
          [
            ['m', 'x'],
            [1, 2],
          ],
        ],
        remove: [['gone']],
        add: [[['n'], 3]],
      },
      key,
    );

    // Assess
    expect(next).toStrictEqual({ id: 'k', m: { keep: 1, x: [1, 2] }, n: 3 });
  });

  it('leaves its input and the values it stores unshared', () => {
    // Prepare
    const item = { id: 'k', m: {} as Record<string, unknown> };
    const value = { deep: 1 };

    // Act
    const next = applyPlan(item, { set: [[['m', 'v'], value]] }, key);
    value.deep = 2;

    // Assess
    expect(item.m).toStrictEqual({});
    expect(next?.m).toStrictEqual({ v: { deep: 1 } });
  });

  it('answers undefined when the condition fails (ConditionalCheckFailed)', () => {
    // Act
    const next = applyPlan(
      { id: 'k', exp: 5 },
      { set: [[['x'], 1]], condition: { greaterThan: ['exp'], value: 5 } },
      key,
    );

    // Assess
    expect(next).toBeUndefined();
  });

  it('starts a missing item from its key, as UpdateItem does', () => {
    // Act
    const next = applyPlan(undefined, { add: [[['hits'], 1]] }, key);

    // Assess
    expect(next).toStrictEqual({ id: 'k', hits: 1 });
  });

  it('refuses a SET below a map that does not exist, as DynamoDB does', () => {
    // Act
    const error = thrown(() => applyPlan({ id: 'k' }, { set: [[['a', 'b', 'c'], 1]] }, key));

    // Assess
    expect(error).toBeInstanceOf(InvalidDocumentPathError);
  });

  it('reads only own members: a path through a name every object inherits finds nothing', () => {
    // Act
    const next = applyPlan({ id: 'k' }, { set: [[['x'], 1]], condition: { exists: ['constructor'] } }, key);

    // Assess
    expect(next).toBeUndefined();
  });
});
