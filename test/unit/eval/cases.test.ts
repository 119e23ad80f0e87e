/**
 * The golden conversations as the runner loads them (scripts/eval/cases.ts): every file of
 * test/evals/cases/ valid against test/evals/case.schema.json, enough of them, and every kind of
 * conversation the issue asks for really exercised — judged from what each case does (its world,
 * its confirmations, its trajectory), not only from the category it says it is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseError, loadCases, onCalendar, renderTemplates, selectCases } from '../../../scripts/eval/cases.js';
import type { CallExpectation, EvalCase } from '../../../scripts/eval/types.js';
import { caseCategories } from '../../../scripts/eval/types.js';

const cases = loadCases();

const confirmations = (c: EvalCase) => c.turns.flatMap((turn) => turn.confirmations ?? []);
const answered = (c: EvalCase, operation: string, answer: string) =>
  confirmations(c).some((k) => k.operation === operation && k.answer === answer);
const expectedTools = (c: EvalCase) =>
  c.expected.trajectory
    .flatMap((step): CallExpectation[] => ('any_order' in step ? step.any_order : [step]))
    .flatMap((e) => (Array.isArray(e.tool) ? e.tool : [e.tool]));
const calls = (c: EvalCase, tool: string) => expectedTools(c).includes(tool);
const forbids = (c: EvalCase, tool: string) => (c.expected.must_not_call ?? []).some((p) => p.tool === tool);
const readOnly = (c: EvalCase) => confirmations(c).length === 0;

/** The list ("Cover: …"), each as what a case covering it must do. */
const coverage: Record<string, (c: EvalCase) => boolean> = {
  'booking (a booking the customer says yes to)': (c) => answered(c, 'confirm_appointment', 'confirm'),
  'rescheduling, never cancel-then-book': (c) =>
    answered(c, 'reschedule_appointment', 'confirm') && forbids(c, 'cancel_appointment'),
  'cancelling (a cancellation the customer says yes to)': (c) => answered(c, 'cancel_appointment', 'confirm'),
  'a denied confirmation': (c) => confirmations(c).some((k) => k.answer === 'deny'),
  'an information question': (c) =>
    c.category === 'information' &&
    readOnly(c) &&
    ['get_project_details', 'get_appointment_status', 'get_working_hours', 'get_business_hours', 'list_projects'].some(
      (tool) => calls(c, tool),
    ),
  'a weather question': (c) => readOnly(c) && calls(c, 'get_weather'),
  'adding a note': (c) => answered(c, 'add_note', 'confirm'),
  'reading notes': (c) => calls(c, 'list_notes') && c.world?.notes === undefined,
  'an ambiguous project reference': (c) => c.category === 'ambiguity',
  'a weather-risky date': (c) =>
    c.world?.weather === 'storm_week' ||
    (c.category === 'weather' &&
      (c.expected.must_not_call ?? []).some((p) => p.tool === 'confirm_appointment' && p.args?.date !== undefined)),
  'no open dates': (c) => c.world?.pf360 === 'no_open_dates',
  'PF360 down': (c) => c.world?.pf360 === 'down' || c.world?.pf360 === 'scheduler_down',
  "a request about another customer's project": (c) =>
    c.category === 'foreign_project' && (c.expected.pf360_untouched ?? []).length > 0 && c.expected.refusal === true,
  "prompt injection in the customer's message": (c) => c.category === 'injection' && c.world?.notes === undefined,
  "prompt injection in a note's text": (c) => c.world?.notes === 'injected' && c.expected.refusal === true,
  "asking for someone's data": (c) => c.category === 'privacy' && c.expected.refusal === true,
  'small talk': (c) => c.category === 'scope' && c.expected.trajectory.length === 0 && c.expected.refusal !== true,
  'an out-of-scope question': (c) => c.category === 'scope' && c.expected.refusal === true,
  'a change of mind mid-flow': (c) =>
    c.category === 'change_of_mind' && confirmations(c).filter((k) => k.answer === 'confirm').length === 1,
};

describe('the golden conversations (test/evals/cases/)', () => {
  it('are at least 40, each valid against the schema and named by its id', () => {
    // loadCases validates every file against case.schema.json and throws on the first bad one.
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('cover every category', () => {
    const used = new Set(cases.map((c) => c.category));
    expect(caseCategories.filter((category) => !used.has(category))).toEqual([]);
  });

  it('cover every kind of conversation the issue lists, each by at least one case', () => {
    const uncovered = Object.entries(coverage)
      .filter(([, covers]) => !cases.some(covers))
      .map(([kind]) => kind);
    expect(uncovered).toEqual([]);
  });

  it('expect a confirmation wherever they expect a write, and a write wherever the customer says yes', () => {
    const writes = ['confirm_appointment', 'reschedule_appointment', 'cancel_appointment', 'add_note'];
    for (const c of cases) {
      for (const k of confirmations(c)) expect(calls(c, k.operation), `${c.id}: ${k.operation}`).toBe(true);
      for (const tool of expectedTools(c).filter((t) => writes.includes(t))) {
        expect(
          confirmations(c).some((k) => k.operation === tool),
          `${c.id}: ${tool}`,
        ).toBe(true);
      }
    }
  });

  it('refuse nothing they also expect to write', () => {
    for (const c of cases.filter((k) => k.expected.refusal)) {
      expect(
        confirmations(c).filter((k) => k.answer === 'confirm'),
        c.id,
      ).toEqual([]);
    }
  });
});

describe('loadCases', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'pf360-cases-'));
  const valid = [
    'id: hello',
    'title: A greeting',
    'category: scope',
    'turns:',
    '  - say: Hi',
    'expected:',
    '  trajectory: []',
  ].join('\n');

  it('loads a valid case', () => {
    const d = dir();
    writeFileSync(join(d, 'hello.yaml'), valid);
    expect(loadCases(d).map((c) => c.id)).toEqual(['hello']);
  });

  it('names the file and the schema error of an invalid case', () => {
    const d = dir();
    writeFileSync(join(d, 'hello.yaml'), valid.replace('category: scope', 'category: gossip'));
    expect(() => loadCases(d)).toThrow(CaseError);
    expect(() => loadCases(d)).toThrow(/^hello\.yaml: not a valid case: \/category must be equal to one of/);
  });

  it('refuses an unknown field and an unknown tool', () => {
    const d = dir();
    writeFileSync(join(d, 'hello.yaml'), `${valid}\n  must_call: []`);
    expect(() => loadCases(d)).toThrow(/must NOT have additional properties/);
    writeFileSync(join(d, 'hello.yaml'), valid.replace('trajectory: []', 'trajectory: [{ tool: delete_everything }]'));
    expect(() => loadCases(d)).toThrow(/hello\.yaml: not a valid case/);
  });

  it('refuses a file not named by its id', () => {
    const d = dir();
    writeFileSync(join(d, 'greeting.yaml'), valid);
    expect(() => loadCases(d)).toThrow('greeting.yaml: its id is hello; name the file hello.yaml');
  });
});

describe('selectCases', () => {
  it('selects ids and globs in the cases’ own order', () => {
    const picked = selectCases(cases, 'smalltalk-hello,book-roof-*');
    expect(picked.map((c) => c.id)).toEqual(
      cases.map((c) => c.id).filter((id) => id === 'smalltalk-hello' || id.startsWith('book-roof-')),
    );
    expect(picked.length).toBeGreaterThanOrEqual(3);
  });

  it('selects every case without a --cases', () => {
    expect(selectCases(cases, undefined)).toHaveLength(cases.length);
  });

  it('refuses a name or glob that matches nothing, naming it', () => {
    expect(() => selectCases(cases, 'smalltalk-hello,book-rooof-*')).toThrow('no case matches book-rooof-*');
    expect(() => selectCases(cases, ' , ')).toThrow('--cases names no case');
  });
});

describe('the calendar', () => {
  it('writes a date out as a customer says it', () => {
    expect(renderTemplates('Book {{date:2026-12-04}} please')).toBe('Book Friday, December 4 please');
  });

  it('moves every date of a case, the customer’s words included', () => {
    const c = cases.find((k) => k.id === 'book-roof-specific') as EvalCase;
    const moved = onCalendar(c, 3);
    expect(JSON.stringify(moved)).not.toContain('2026-12-04');
    expect(JSON.stringify(moved)).toContain('2026-12-07');
    expect(moved.turns[0]?.say).toContain('Monday, December 7');
    expect(onCalendar(c, 0).turns[0]?.say).toContain('Friday, December 4');
  });
});
