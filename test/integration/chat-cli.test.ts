/**
 * `npm run chat` as someone in a terminal uses it: the script as a child process, typed lines on
 * its stdin, against the local gateway in this process with only the model scripted (PF360 is
 * Prism behind a recording proxy). The streamed words, the confirmation question, a yes that
 * books once, a default no that changes nothing, and the two ways it cannot start a chat.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/specs.js';
import { notConfiguredMessage } from '../../src/chat/http.js';
import { type ChatGateway, startChatGateway } from '../helpers/chat-gateway.js';
import { HeldModel } from '../helpers/held-model.js';
import { pf360Paths, startUpstreamProxy, type UpstreamProxy } from '../helpers/upstream-proxy.js';

let pf360: UpstreamProxy;
let gateway: ChatGateway | undefined;
beforeAll(async () => {
  pf360 = await startUpstreamProxy(process.env.PF360_BASE_URL ?? '');
});
afterAll(() => pf360.close());
beforeEach(() => pf360.reset());
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** The CLI on `chatUrl`, with what it printed so far and a way to wait for more. */
function startCli(chatUrl: string, args: string[] = []) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'scripts/local/chat-cli.ts'), ...args],
    { cwd: repoRoot, env: { ...process.env, CHAT_URL: chatUrl }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const output = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
    changed();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
    changed();
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    output,
    exited,
    type: (line: string) => child.stdin.write(`${line}\n`),
    endInput: () => child.stdin.end(),
    /** Resolves once stdout contains `text`; fails with what was printed if it never does. */
    waitFor(text: string, timeoutMs = 30_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!output.stdout.includes(text)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`no "${text}" on stdout within ${timeoutMs} ms:\n${output.stdout}\nstderr:\n${output.stderr}`),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
        void exited.then(() => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          clearTimeout(timer);
          reject(new Error(`exited before "${text}":\n${output.stdout}\nstderr:\n${output.stderr}`));
        });
      });
    },
    kill: () => child.kill('SIGKILL'),
  };
}

const slotsOfTheRoof = [
  { toolCalls: [{ name: 'list_projects', input: {} }] },
  { toolCalls: [{ name: 'get_available_dates', input: { project_id: '12350' } }] },
  { toolCalls: [{ name: 'get_time_slots', input: { project_id: '12350', date: '2026-12-02' } }] },
];
const bookTheRoof = {
  text: 'I can book Wednesday, December 2 at 10:00 AM.',
  toolCalls: [{ name: 'confirm_appointment', input: { project_id: '12350', date: '2026-12-02', time: '10:00 AM' } }],
};
const roofSummary = 'Book project ORD-2026-003 (Roofing) on Wednesday, December 2, 2026 at 10:00 AM.';

describe('npm run chat', () => {
  it('streams the words, asks before booking, books once on y, and ends on exit', { timeout: 90_000 }, async () => {
    // Prepare
    const model = new HeldModel([
      { toolCalls: [{ name: 'list_projects', input: {} }] },
      { text: ['You have four projects: ', 'flooring, kitchen cabinets, windows and roofing.'] },
    ]);
    gateway = await startChatGateway({ model, pf360Url: pf360.url });
    const release = model.holdNextText();
    const cli = startCli(gateway.base, ['--customer', '1645975']);

    try {
      // Act + Assess: the first words are printed while the model is still writing the rest.
      await cli.waitFor('Signed in as customer 1645975');
      cli.type('Which projects do I have?');
      await cli.waitFor('assistant> You have four projects: ');
      expect(cli.output.stdout).not.toContain('flooring');
      release();
      await cli.waitFor('You have four projects: flooring, kitchen cabinets, windows and roofing.\n');

      model.push(...slotsOfTheRoof, bookTheRoof, { text: 'You are booked for Wednesday, December 2 at 10:00 AM.' });
      cli.type('Book my roofing job for Wednesday at 10');
      await cli.waitFor('Confirm? [y/N] ');
      expect(cli.output.stdout).toContain(
        `assistant> I can book Wednesday, December 2 at 10:00 AM.\n\n  ${roofSummary}\n    Project: 12350\n    Date: 2026-12-02\n    Time: 10:00 AM\nConfirm? [y/N] `,
      );
      expect(pf360.matching('POST', pf360Paths.schedule)).toEqual([]);
      cli.type('y');
      await cli.waitFor('assistant> You are booked for Wednesday, December 2 at 10:00 AM.\n');
      cli.type('exit');

      // Assess
      expect(await cli.exited).toBe(0);
      expect(cli.output.stderr).toBe('');
      expect(pf360.matching('POST', pf360Paths.schedule)).toHaveLength(1);
      expect(model.remaining).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it('changes nothing when the answer is the default No, and ends on Ctrl-D', { timeout: 60_000 }, async () => {
    // Prepare
    const model = new HeldModel([...slotsOfTheRoof, bookTheRoof, { text: 'All right, I did not book it.' }]);
    gateway = await startChatGateway({ model, pf360Url: pf360.url });
    const cli = startCli(gateway.base);

    try {
      // Act
      await cli.waitFor('Signed in as customer 1645975');
      cli.type('Book my roofing job for Wednesday at 10');
      await cli.waitFor('Confirm? [y/N] ');
      cli.type('');
      await cli.waitFor('assistant> All right, I did not book it.\n');
      cli.endInput();

      // Assess
      expect(await cli.exited).toBe(0);
      expect(cli.output.stdout).toContain(roofSummary);
      expect(cli.output.stderr).toBe('');
      expect(pf360.matching('POST', pf360Paths.schedule)).toEqual([]);
      expect(model.remaining).toBe(0);
    } finally {
      cli.kill();
    }
  });

  it('prints how to configure an assistant and exits 1 when none is configured', { timeout: 60_000 }, async () => {
    // Prepare
    gateway = await startChatGateway({ pf360Url: pf360.url });
    const cli = startCli(gateway.base);

    try {
      // Act
      await cli.waitFor('Signed in as customer 1645975');
      cli.type('Hi');

      // Assess
      expect(await cli.exited).toBe(1);
      expect(cli.output.stderr).toBe(`${notConfiguredMessage}\n`);
      expect(notConfiguredMessage).toContain('AGENT_PROVIDER=openai');
    } finally {
      cli.kill();
    }
  });

  it('says in one sentence on stderr that nothing answers at CHAT_URL, and exits 1', { timeout: 60_000 }, async () => {
    // Prepare: a port nothing listens on (the gateway's, once closed).
    const closed = await startChatGateway({ pf360Url: pf360.url });
    await closed.close();
    const cli = startCli(closed.base);

    try {
      // Assess
      expect(await cli.exited).toBe(1);
      expect(cli.output.stderr).toBe(
        `The chat service could not be reached at ${closed.base}; start it with npm start (or set CHAT_URL).\n`,
      );
      expect(cli.output.stdout).toBe('');
    } finally {
      cli.kill();
    }
  });
});
