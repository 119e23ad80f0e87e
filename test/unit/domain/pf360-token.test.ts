import { describe, expect, it } from 'vitest';
import { readSpec } from '../../../scripts/lib/specs.js';
import { isPf360Token, pf360TokenPattern } from '../../../src/domain/pf360-token.js';

describe('isPf360Token', () => {
  it.each([
    ['a bare token', 'eyJhbGciOi.eyJzdWIi.sig'],
    ['a Bearer token, as the portal sends it', 'Bearer eyJhbGciOi.eyJzdWIi.sig'],
    ['one character', 'x'],
    ['4096 characters', 'x'.repeat(4096)],
  ])('accepts %s', (_label, token) => {
    expect(isPf360Token(token)).toBe(true);
  });

  it.each([
    ['an empty string', ''],
    ['a line break (header smuggling)', 'Bearer abc\r\nX-Admin: yes'],
    ['a tab', 'Bearer\tabc'],
    ['a leading space', ' abc'],
    ['a trailing space', 'abc '],
    ['a character beyond ASCII', 'abcé'],
    ['4097 characters', 'x'.repeat(4097)],
    ['a number', 42],
  ])('refuses %s', (_label, token) => {
    expect(isPf360Token(token)).toBe(false);
  });

  it('is the rule chat.yaml states for X-PF360-Token, on every operation', () => {
    // Prepare
    const chat = readSpec('chat');

    // Act
    const operations = Object.values<{ post: { parameters: { $ref: string }[] } }>(chat.paths);
    const headers = operations.map((item) => item.post.parameters.map((p) => p.$ref));

    // Assess
    expect(chat.components.parameters.Pf360Token.schema.pattern).toBe(pf360TokenPattern.source);
    expect(headers).toEqual(operations.map(() => ['#/components/parameters/Pf360Token']));
  });
});
