import { describe, expect, it } from 'vitest';
import { isSessionId, newSessionId } from '../../../src/domain/session-id.js';

describe('session ids', () => {
  it('are new every time, fit Bedrock’s and AgentCore’s rules and carry 192 random bits', () => {
    const ids = Array.from({ length: 1000 }, newSessionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-zA-Z._:-]{2,100}$/);
      expect(id.length).toBeGreaterThanOrEqual(33);
      expect(Buffer.from(id.slice(2), 'base64url')).toHaveLength(24);
      expect(isSessionId(id)).toBe(true);
    }
  });

  it.each([
    [undefined, false],
    ['', false],
    ['a', false],
    ['ab', true],
    ['x'.repeat(256), true],
    ['x'.repeat(257), false],
    ['has space', false],
    ['semi;colon', false],
    ['ümlaut', false],
    ['TSTALIASID:s-1.2_3', true],
  ])('isSessionId(%j) is %s', (id, expected) => {
    expect(isSessionId(id)).toBe(expected);
  });
});
