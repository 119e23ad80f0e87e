/**
 * A recording: one case's model turns in the ScriptedTurn format (src/agent/scripted-model.ts),
 * stored as `<dir>/<case id>.json`. `--record <dir>` writes what the configured model answered;
 * `--replay <dir>` plays the turns back through ScriptedModel, so the chat handler, the agent, its
 * hook, the tools and the operations run again exactly as they did, without the model.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ScriptedModel, type ScriptedTurn } from '../../src/agent/scripted-model.js';

export interface Recording {
  case: string;
  /** `recorded`: a model's answers; `authored`: reference turns written by hand (what an ideal model does). */
  source: 'recorded' | 'authored';
  /** The model that answered (provider and id), or what the authored turns stand for. */
  model: string;
  recorded_at: string;
  note?: string;
  turns: ScriptedTurn[];
}

export class RecordingError extends Error {
  override name = 'RecordingError';
}

/** The case ids `dir` has recordings for. */
export function recordedCases(dir: string): string[] {
  if (!existsSync(dir)) throw new RecordingError(`no recordings folder ${dir}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

function isTurn(value: unknown): value is ScriptedTurn {
  if (!value || typeof value !== 'object') return false;
  const t = value as Record<string, unknown>;
  if ('error' in t) return typeof (t.error as { name?: unknown })?.name === 'string';
  const text = t.text === undefined || typeof t.text === 'string' || Array.isArray(t.text);
  const calls =
    t.toolCalls === undefined ||
    (Array.isArray(t.toolCalls) && t.toolCalls.every((c) => typeof (c as { name?: unknown })?.name === 'string'));
  return text && calls;
}

export function readRecording(dir: string, caseId: string): Recording {
  const file = join(dir, `${caseId}.json`);
  let data: Recording;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Recording;
  } catch (error) {
    throw new RecordingError(`${file}: ${(error as Error).message}`);
  }
  if (data.case !== caseId || !Array.isArray(data.turns) || !data.turns.every(isTurn)) {
    throw new RecordingError(`${file}: not a recording of ${caseId} (case, turns in the ScriptedTurn format)`);
  }
  return data;
}

export function writeRecording(dir: string, recording: Recording): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${recording.case}.json`);
  writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`);
  return file;
}

/** The model a replay gives each case: its recording in `dir`, played back turn by turn. */
export function replayModels(dir: string): (c: { id: string }) => ScriptedModel {
  return (c) => new ScriptedModel(readRecording(dir, c.id).turns);
}
