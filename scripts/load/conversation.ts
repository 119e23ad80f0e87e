/**
 * One virtual customer's conversation, the same in both passes: sign in, list the projects,
 * open dates for the roofing job (weather-aware), slots for one date, book, check the status,
 * add a note. Pass 1 goes through the local gateway; pass 2 makes the same DynamoDB and Prism
 * calls directly (scripts/load/raw.ts).
 */
export const steps = [
  'create_session',
  'list_projects',
  'get_available_dates',
  'get_time_slots',
  'confirm_appointment',
  'get_appointment_status',
  'add_note',
] as const;
export type Step = (typeof steps)[number];

export const conversation = {
  projectId: '12350',
  date: '2026-12-02',
  time: '10:00 AM',
  note: 'Load test: please ring the bell on arrival.',
} as const;

export interface Sample {
  step: Step;
  /** Wall time seen by the caller. */
  ms: number;
  /** Time inside the handler (pass 1 only, from the gateway's Server-Timing header). */
  handlerMs?: number;
  ok: boolean;
  status: number;
}

export type StepRunner = (name: Step, state: Record<string, string>) => Promise<Sample>;

/**
 * Runs one customer's conversations back to back until `deadline`, waiting a random 0.5-1.5 ×
 * `thinkMs` between steps, and cycling through `runners` one conversation at a time (so the
 * passes interleave and see the same conditions). A conversation cut by the deadline is not
 * recorded, so every step has the same number of samples per pass.
 */
export async function runCustomer(
  deadline: number,
  thinkMs: number,
  runners: readonly StepRunner[],
  record: (pass: number, sample: Sample) => void,
): Promise<void> {
  for (let conversation = 0; Date.now() < deadline; conversation++) {
    const pass = conversation % runners.length;
    const run = runners[pass] as StepRunner;
    const state: Record<string, string> = {};
    const samples: Sample[] = [];
    for (const name of steps) {
      const sample = await run(name, state);
      samples.push(sample);
      if (!sample.ok) break; // a failed step ends this conversation; the next one starts fresh
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random())));
    }
    const failed = samples.some((s) => !s.ok);
    if (failed || Date.now() < deadline) for (const sample of samples) record(pass, sample);
  }
}
