/**
 * The command line of every npm script, read one way: node's parseArgs in strict mode, so an
 * unknown or misspelt option is refused instead of silently falling back to a default, and a bad
 * command line ends in one sentence and the usage (exit 2), never a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface Command<O extends ParseArgsOptionsConfig> {
  /** The name messages start with, e.g. `load`. */
  name: string;
  usage: string;
  options: O;
  /** How many positional arguments the command takes (default none). */
  positionals?: { min: number; max: number };
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

/** The command line read against the command's options: the result, or the sentence saying what is wrong. */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  command: Command<O>,
  args: string[],
): Parsed<O> | { error: string } {
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

/** parseCommandLine on this process's arguments; a bad command line ends the process (exit 2). */
export function readCommandLine<const O extends ParseArgsOptionsConfig>(
  command: Command<O>,
  args: string[] = process.argv.slice(2),
): Parsed<O> {
  const parsed = parseCommandLine(command, args);
  if ('error' in parsed) return failUsage(command, parsed.error);
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
