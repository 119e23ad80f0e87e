/**
 * The command line of every npm script, read one way: node's parseArgs in strict mode, so an
 * unknown or misspelt option is refused instead of silently falling back to a default, and a bad
 * command line ends in one sentence and the usage (exit 2), never a stack trace. `--help` (`-h`)
 * is answered here for every command: the usage, what the command does and what each option
 * means, on stdout, exit 0, before the command does anything else.
 */
import { writeSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface Command<O extends ParseArgsOptionsConfig> {
  /** The name messages start with, e.g. `load`. */
  name: string;
  usage: string;
  /** What the command does, in a sentence or two, for --help. */
  summary?: string;
  /** The command's options; `help` (and `-h`) is reserved for --help. */
  options: O;
  /** What each option means, for --help. */
  optionHelp?: { [K in keyof O]?: string };
  /** How many positional arguments the command takes (default none). */
  positionals?: { min: number; max: number };
}

const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

/** What --help prints: the usage, the summary, and one line per option. */
export function helpText<O extends ParseArgsOptionsConfig>(command: Command<O>): string {
  const rows: [string, string][] = Object.entries(command.options).map(([name, option]) => {
    const spelling = `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'string' ? ' <value>' : ''}`;
    const notes = [
      command.optionHelp?.[name as keyof O] ?? '',
      option.multiple ? '(may be repeated)' : '',
      option.default !== undefined ? `(default ${String(option.default)})` : '',
    ];
    return [spelling, notes.filter(Boolean).join(' ')];
  });
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...rows.map(([spelling]) => spelling.length));
  return [
    command.usage,
    ...(command.summary ? ['', command.summary] : []),
    '',
    'options:',
    ...rows.map(([spelling, text]) => `  ${spelling.padEnd(width)}  ${text}`.trimEnd()),
  ].join('\n');
}

/** Whether the command line asks for help: `--help` or `-h` anywhere before a `--`. */
function asksForHelp(options: ParseArgsOptionsConfig, args: string[]): boolean {
  const { tokens } = parseArgs({
    args,
    options: { ...options, ...helpOption },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  return tokens.some((token) => token.kind === 'option' && token.name === 'help');
}

export function failUsage(command: { name: string; usage?: string }, message: string): never {
  process.stderr.write(`${command.name}: ${message}\n${command.usage ? `${command.usage}\n` : ''}`);
  process.exit(2);
}

/** parseArgs' messages, reworded to name the option the way the user typed it. */
function sentence(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'(-[^' ]+)/.exec(message ?? '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (!option) return String(message);
      return /does not take an argument/.test(message ?? '') ? `${option} takes no value` : `${option} needs a value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']+)'/.exec(message ?? '')?.[1] ?? message}`;
    default:
      return String(message ?? error);
  }
}

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>;

/**
 * The command line read against the command's options: the result, the sentence saying what is
 * wrong, or — when it asks for help, whatever else it says — the help text.
 */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  command: Command<O>,
  args: string[],
): Parsed<O> | { error: string } | { help: string } {
  if (Object.hasOwn(command.options, 'help')) throw new Error(`${command.name}: the option --help is reserved`);
  if (asksForHelp(command.options, args)) return { help: helpText(command) };
  const { min, max } = command.positionals ?? { min: 0, max: 0 };
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options: command.options, strict: true, allowPositionals: true });
  } catch (error) {
    return { error: sentence(error) };
  }
  if (parsed.positionals.length > max) return { error: `unexpected argument ${parsed.positionals[max]}` };
  if (parsed.positionals.length < min) return { error: 'missing argument' };
  return parsed;
}

/**
 * parseCommandLine on this process's arguments: a bad command line ends the process (exit 2),
 * --help prints the help on stdout and ends it (exit 0).
 */
export function readCommandLine<const O extends ParseArgsOptionsConfig>(
  command: Command<O>,
  args: string[] = process.argv.slice(2),
): Parsed<O> {
  const parsed = parseCommandLine(command, args);
  if ('error' in parsed) return failUsage(command, parsed.error);
  if ('help' in parsed) {
    // Straight to file descriptor 1: tools that keep stdout for their own output (invoke, mcp)
    // have already pointed process.stdout.write at stderr.
    writeSync(1, `${parsed.help}\n`);
    process.exit(0);
  }
  return parsed;
}

/** A whole number within [min, max] given as an option's value, or the fallback when absent. */
export function integerOption(
  command: { name: string; usage?: string },
  option: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < min || parsed > max) {
    failUsage(command, `--${option} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return parsed;
}
