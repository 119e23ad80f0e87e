/**
 * A model that replays a recorded conversation: the model's turns as data, in order. Tests, the
 * evals' replays and the bench drive the real agent, tools and operations with it, so everything
 * but the model is what production runs. It also records what the agent asked each turn.
 */
import {
  type BaseModelConfig,
  type Message,
  Model,
  type ModelStreamEvent,
  type StreamOptions,
} from '@strands-agents/sdk';

/** One model answer: text (streamed in the given pieces), tool calls, or a provider failure. */
export type ScriptedTurn =
  | {
      text?: string | string[];
      toolCalls?: { name: string; input: unknown }[];
      /** A pause before each text piece after the first, as a model streams (for timing tests). */
      pauseMs?: number;
    }
  | { error: { name: string; message: string; status?: number } };

export interface ScriptedCall {
  /** The messages the agent sent, as the SDK serialises them. */
  messages: unknown[];
  systemPrompt: unknown;
  tools: string[];
}

export class ScriptedModel extends Model<BaseModelConfig> {
  readonly calls: ScriptedCall[] = [];
  private readonly turns: ScriptedTurn[];
  private config: BaseModelConfig = { modelId: 'scripted' };

  /** `record: false` keeps no calls (the bench: recording them is the model's cost, not the agent's). */
  constructor(
    turns: readonly ScriptedTurn[],
    private readonly options: { record?: boolean } = {},
  ) {
    super();
    this.turns = [...turns];
  }

  updateConfig(config: BaseModelConfig): void {
    this.config = { ...this.config, ...config };
  }

  getConfig(): BaseModelConfig {
    return this.config;
  }

  /** Turns not replayed yet. */
  get remaining(): number {
    return this.turns.length;
  }

  /** Appends turns (a test scripting the next step of a conversation). */
  push(...turns: ScriptedTurn[]): void {
    this.turns.push(...turns);
  }

  async *stream(messages: Message[], options?: StreamOptions): AsyncIterable<ModelStreamEvent> {
    if (this.options.record !== false) {
      this.calls.push({
        messages: messages.map((m) => m.toJSON()),
        systemPrompt: options?.systemPrompt,
        tools: (options?.toolSpecs ?? []).map((spec) => spec.name),
      });
    }
    const turn = this.turns.shift();
    if (!turn)
      throw new Error(`the scripted conversation has no model turn left (${this.calls.length} calls recorded)`);
    if ('error' in turn) {
      throw Object.assign(new Error(turn.error.message), {
        name: turn.error.name,
        ...(turn.error.status ? { $metadata: { httpStatusCode: turn.error.status } } : {}),
      });
    }
    yield { type: 'modelMessageStartEvent', role: 'assistant' };
    const pieces = typeof turn.text === 'string' ? [turn.text] : (turn.text ?? []);
    if (pieces.some((piece) => piece !== '')) {
      yield { type: 'modelContentBlockStartEvent' };
      for (const [i, text] of pieces.entries()) {
        if (i > 0 && turn.pauseMs) await new Promise((resolve) => setTimeout(resolve, turn.pauseMs));
        yield { type: 'modelContentBlockDeltaEvent', delta: { type: 'textDelta', text } };
      }
      yield { type: 'modelContentBlockStopEvent' };
    }
    const calls = turn.toolCalls ?? [];
    for (const [i, call] of calls.entries()) {
      const toolUseId = `tooluse_${this.calls.length}_${i}`;
      yield { type: 'modelContentBlockStartEvent', start: { type: 'toolUseStart', name: call.name, toolUseId } };
      yield {
        type: 'modelContentBlockDeltaEvent',
        delta: { type: 'toolUseInputDelta', input: JSON.stringify(call.input) },
      };
      yield { type: 'modelContentBlockStopEvent' };
    }
    yield { type: 'modelMessageStopEvent', stopReason: calls.length ? 'toolUse' : 'endTurn' };
  }
}
