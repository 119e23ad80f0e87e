/**
 * The model as the evaluation sees it: a Model that passes every call on to the model under
 * test (the configured one, or a ScriptedModel replaying a recording) and keeps, per case, what
 * the model did — each answer as a ScriptedTurn (text, tool calls, or a failure), so that a run
 * can be stored and replayed exactly (`--record`, `--replay`) — and the tool calls it asked for,
 * with the results the agent gave back to it on the next call. The agent, its hook, the tools and
 * the operations are the production ones; only this wrapper stands between the agent and the model.
 */
import {
  type BaseModelConfig,
  type Message,
  Model,
  type ModelStreamEvent,
  type StreamOptions,
} from '@strands-agents/sdk';
import type { ScriptedTurn } from '../../src/agent/scripted-model.js';
import type { ObservedCall } from './types.js';

interface PendingCall extends ObservedCall {
  toolUseId: string;
}

/** A tool result block's content as the agent gave it to the model: JSON, or text (parsed when it is JSON). */
function resultBody(content: readonly unknown[]): unknown {
  const parts = content.map((block) => {
    const b = block as { json?: unknown; text?: string };
    if (b.json !== undefined) return b.json;
    if (typeof b.text === 'string') {
      try {
        return JSON.parse(b.text);
      } catch {
        return b.text;
      }
    }
    return block;
  });
  return parts.length === 1 ? parts[0] : parts;
}

function parseInput(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { _unparsed: raw };
  }
}

export class ObservingModel extends Model<BaseModelConfig> {
  private inner: Model<BaseModelConfig> | undefined;
  private turns: ScriptedTurn[] = [];
  private pending: PendingCall[] = [];
  /** The chat request being made (the runner sets it before each one). */
  step = 0;

  /** Starts a case with the model under test. */
  begin(inner: Model<BaseModelConfig>): void {
    this.inner = inner;
    this.turns = [];
    this.pending = [];
    this.step = 0;
  }

  /** The model's answers of this case, in the ScriptedTurn format (a recording). */
  get recorded(): ScriptedTurn[] {
    return structuredClone(this.turns);
  }

  /** The tool calls of this case, in order, with the results the agent gave back. */
  get calls(): ObservedCall[] {
    return this.pending.map(({ toolUseId: _id, ...call }) => structuredClone(call));
  }

  private get model(): Model<BaseModelConfig> {
    if (!this.inner) throw new Error('ObservingModel: begin() a case first');
    return this.inner;
  }

  updateConfig(config: BaseModelConfig): void {
    this.model.updateConfig(config);
  }

  getConfig(): BaseModelConfig {
    return this.inner?.getConfig() ?? {};
  }

  /** The tool results in the messages the agent sends, matched to the calls they answer. */
  private collectResults(messages: readonly Message[]): void {
    for (const message of messages) {
      const data = message.toJSON() as {
        content: { toolResult?: { toolUseId: string; status: 'success' | 'error'; content: unknown[] } }[];
      };
      for (const block of data.content) {
        const result = block.toolResult;
        if (!result) continue;
        const call = this.pending.find((c) => c.toolUseId === result.toolUseId);
        if (call && !call.result) call.result = { status: result.status, body: resultBody(result.content) };
      }
    }
  }

  async *stream(messages: Message[], options?: StreamOptions): AsyncIterable<ModelStreamEvent> {
    this.collectResults(messages);
    let text = '';
    const toolCalls: { name: string; input: unknown }[] = [];
    let current: { name: string; toolUseId: string; input: string } | undefined;
    try {
      for await (const event of this.model.stream(messages, options)) {
        if (event.type === 'modelContentBlockStartEvent' && event.start?.type === 'toolUseStart') {
          current = { name: event.start.name, toolUseId: event.start.toolUseId, input: '' };
        } else if (event.type === 'modelContentBlockDeltaEvent') {
          if (event.delta.type === 'textDelta') text += event.delta.text;
          else if (event.delta.type === 'toolUseInputDelta' && current) current.input += event.delta.input;
        } else if (event.type === 'modelContentBlockStopEvent' && current) {
          const input = parseInput(current.input);
          toolCalls.push({ name: current.name, input });
          this.pending.push({ tool: current.name, input, step: this.step, toolUseId: current.toolUseId });
          current = undefined;
        }
        yield event;
      }
    } catch (error) {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      const failure = error as { $metadata?: { httpStatusCode?: number }; status?: unknown };
      const status =
        failure?.$metadata?.httpStatusCode ?? (typeof failure?.status === 'number' ? failure.status : undefined);
      this.turns.push({ error: { name, message, ...(status ? { status } : {}) } });
      throw error;
    }
    this.turns.push({ ...(text ? { text } : {}), ...(toolCalls.length ? { toolCalls } : {}) });
  }
}
