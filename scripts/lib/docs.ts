/**
 * The measured pages under docs/ (bench.md, faults.md, load.md), written one way: by the
 * command that measures them, when it is given --write-docs and the run passed. Without the flag
 * a run only prints, so a quick run with other settings never replaces the recorded one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './specs.js';

/** The option every measuring command takes, and its --help line. */
export const writeDocsOption = { 'write-docs': { type: 'boolean' } } as const;

export function writeDocsHelp(page: string): string {
  return `when the run passes, also write its Markdown to docs/${page} (the page the README links to)`;
}

/** One line naming the machine and the Node version a page was measured on. */
export function machineLine(): string {
  const cores = cpus();
  const memory = `${Math.round(totalmem() / 1024 ** 3)} GB`;
  return `Machine: ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores, ${memory}, Node ${process.version} (${process.platform} ${process.arch}).`;
}

/**
 * Writes docs/<page>: a title, a line saying which command wrote it (with the settings, so the
 * run can be repeated) and when, then the command's own Markdown. Returns the path written,
 * relative to the repository.
 */
export function writeDocsPage(page: string, title: string, commandLine: string, markdown: string): string {
  const file = join(repoRoot, 'docs', page);
  mkdirSync(join(repoRoot, 'docs'), { recursive: true });
  const header = [
    `# ${title}`,
    '',
    `Written by \`${commandLine}\` on ${new Date().toISOString()}; run it again to refresh this page (edits by hand are overwritten).`,
    '',
  ].join('\n');
  writeFileSync(file, `${header}\n${markdown.trim()}\n`);
  return relative(repoRoot, file);
}
