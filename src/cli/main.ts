#!/usr/bin/env node
/**
 * Entry point. Keeps the top level light: commander only; every command imports what it needs
 * when it runs, so `--version`, `-p` and the review commands never load ink or react. Only the
 * group of commands a command line runs is registered (command-groups.ts).
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { ExitCode, UserError } from '../core/errors.js';
import { permissionModes } from '../core/run.js';
import { commandGroups, registrations } from './command-groups.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function buildProgram(args: readonly string[] = process.argv.slice(2)): Promise<Command> {
  const registers = await Promise.all(commandGroups(args).map((group) => registrations[group]()));
  const program = new Command('baton')
    .description('A terminal coding assistant that records, explains and learns from every orchestration decision.')
    .version(version(), '-v, --version')
    .addOption(new Option('--db <file>', 'database file (default: $BATON_HOME/baton.db)'))
    .addOption(new Option('--debug', 'print stack traces of errors'))
    .addOption(new Option('--model <id>', 'model for the workers (sub-agents)'))
    .addOption(new Option('--orchestrator-model <id>', 'model for decisions and post-run analysis'))
    .addOption(new Option('--permission-mode <mode>', 'how write and exec tools are allowed').choices(permissionModes))
    .addOption(new Option('--max-budget-usd <usd>', 'stop a run when its cost reaches this').argParser(parsePositive))
    // Usage errors are one `baton: …` line like every other error (commander's own are
    // "error: …" plus a "Did you mean" line).
    .configureOutput({ outputError: (str, write) => write(usageLine(str)) })
    // Before the subcommands are added: they inherit it, so their usage errors come back here too.
    .exitOverride();
  for (const register of registers) register(program);
  return program;
}

/** Commander's message as one line: `baton: unknown option '--x' (did you mean --y?); see baton --help`. */
export function usageLine(message: string): string {
  const text = message
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*\(Did you mean/g, ' (did you mean')
    .replace(/\s+/g, ' ')
    .trim();
  return `baton: ${text}; see baton --help\n`;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`--max-budget-usd needs a positive number, got "${value}"`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv.slice(2));
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    return reportError(err, debug);
  }
}

/** One clear line on stderr; the stack only with --debug. */
export function reportError(err: unknown, debug: boolean): number {
  const e = err as { code?: string; exitCode?: number; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('commander.')) {
    // commander already printed help, version or the usage error.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return ExitCode.usage;
  }
  if (err instanceof UserError) {
    process.stderr.write(`baton: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  process.stderr.write(`baton: ${err instanceof Error ? err.message : String(err)}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('baton: (run with --debug for details)\n');
  return ExitCode.failed;
}

main(process.argv).then(
  (code) => exit(code),
  (err) => exit(reportError(err, process.argv.includes('--debug'))),
);

/**
 * Exits as soon as the command is done, once stdout has drained: an idle keep-alive connection to
 * the API would otherwise hold the process open for seconds after the answer is printed.
 */
function exit(code: number): void {
  process.exitCode = code;
  const force = setTimeout(() => process.exit(code), 1000);
  process.stdout.write('', () => {
    clearTimeout(force);
    process.exit(code);
  });
}
