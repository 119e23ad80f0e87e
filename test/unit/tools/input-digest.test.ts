import { describe, expect, it } from 'vitest';
import { inputDigest } from '../../../src/tools/input-digest.js';

describe('inputDigest', () => {
  it('is the same for the same tool and values in any key order', () => {
    expect(
      inputDigest('add_note', { project_id: '12347', note_text: 'Gate', extra: { b: 1, a: [2, { d: 3, c: 4 }] } }),
    ).toBe(
      inputDigest('add_note', { extra: { a: [2, { c: 4, d: 3 }], b: 1 }, note_text: 'Gate', project_id: '12347' }),
    );
  });

  it('differs for another tool, another value, or another member', () => {
    const base = inputDigest('add_note', { project_id: '12347', note_text: 'Gate' });
    expect(inputDigest('confirm_appointment', { project_id: '12347', note_text: 'Gate' })).not.toBe(base);
    expect(inputDigest('add_note', { project_id: '12348', note_text: 'Gate' })).not.toBe(base);
    expect(inputDigest('add_note', { project_id: '12347', note_text: 'Gate', date: '2026-12-02' })).not.toBe(base);
    expect(inputDigest('add_note', { project_id: 12347, note_text: 'Gate' })).not.toBe(base);
  });
});
