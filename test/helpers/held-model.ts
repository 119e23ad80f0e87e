/**
 * The scripted model, able to stop in the middle of a streamed answer until the test lets it go
 * on: a test can then see the first words on the screen while the rest has not been written yet,
 * without racing a timer.
 */
import type { Message, ModelStreamEvent, StreamOptions } from '@strands-agents/sdk';
import { ScriptedModel } from '../../src/agent/scripted-model.js';

export class HeldModel extends ScriptedModel {
  private hold: Promise<void> | undefined;

  /** The next text the model streams stops after its first piece until the returned function is called. */
  holdNextText(): () => void {
    let release: (() => void) | undefined;
    this.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    return () => release?.();
  }

  override async *stream(messages: Message[], options?: StreamOptions): AsyncIterable<ModelStreamEvent> {
    for await (const event of super.stream(messages, options)) {
      yield event;
      // The piece has been handed on (and written to the client) before the model waits here.
      if (this.hold && event.type === 'modelContentBlockDeltaEvent' && event.delta.type === 'textDelta') {
        const hold = this.hold;
        this.hold = undefined;
        await hold;
      }
    }
  }
}
