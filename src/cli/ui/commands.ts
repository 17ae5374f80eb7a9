/**
 * Slash commands of the interactive session. Each command's capability is imported when it is
 * used, so the session starts without loading them.
 */
import type { Db } from '../../store/db.js';
import { errorMessage } from '../../core/errors.js';
import { totalInput, type Usage } from '../../core/usage.js';
import { cacheShare, formatCost, formatDuration, formatTokens, oneLine, plural } from './format.js';
import { colorsEnabled } from './theme.js';
import type { UiState } from './state.js';

/** What a command may do to the session; the controller implements it. */
export interface CommandHost {
  readonly db: Db;
  readonly project: string;
  state(): UiState;
  print(text: string): void;
  notice(level: 'info' | 'warn' | 'error', text: string): void;
  setModel(model: string): void;
  newThread(): Promise<void>;
  compact(): Promise<void>;
  exit(): void;
}

interface SlashCommand {
  name: string;
  args?: string;
  help: string;
  run(host: CommandHost, args: string): Promise<void> | void;
}

const KEY_HELP = [
  'Enter sends · Ctrl-J or Alt-Enter: new line · ↑/↓ history · Tab completes /commands',
  'Shift-Tab: permission mode ask → accept-edits → bypass → read-only',
  'Esc or Ctrl-C: cancel the run · Ctrl-C twice or Ctrl-D at an empty prompt: exit',
  "Ctrl-O: unfold the last run's agents and tool calls (again: fold)",
].join('\n');

const commands: SlashCommand[] = [
  {
    name: 'help',
    help: 'commands and keys',
    run: (host) => host.print(`${commands.map((c) => `/${`${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(27)}${c.help}`).join('\n')}\n\n${KEY_HELP}`),
  },
  {
    name: 'history',
    help: 'recent runs in this project',
    run: async (host) => {
      const { renderHistory } = await import('../review/render.js');
      host.print(renderHistory(host.db, host.project, { limit: 20, ...view() }));
    },
  },
  {
    name: 'why',
    help: 'the full reasoning of the last run',
    run: async (host) => {
      const runId = host.state().lastRunId;
      if (!runId) return host.notice('info', 'no run yet in this thread');
      const { renderRunDetail } = await import('../review/render.js');
      host.print(renderRunDetail(host.db, runId, view()));
    },
  },
  {
    name: 'diff',
    help: "the last run's file changes, as full diffs",
    run: async (host) => {
      const runId = host.state().lastRunId;
      if (!runId) return host.notice('info', 'no run yet in this thread');
      const { renderRunDiffs } = await import('../review/show.js');
      host.print(renderRunDiffs(host.db, runId, view()));
    },
  },
  {
    name: 'stats',
    help: 'how each pattern has done in this project',
    run: async (host) => {
      const { renderStats } = await import('../review/render.js');
      host.print(renderStats(host.db, host.project, view()));
    },
  },
  {
    name: 'feedback',
    args: 'good|bad [note]',
    help: 'rate the last run; baton learns from it',
    run: (host, args) => feedback(host, args),
  },
  {
    name: 'lessons',
    help: 'what baton learned in this project (baton lessons to curate)',
    run: async (host) => {
      const { listLessons, formatLessons } = await import('../../learning/curation.js');
      host.print(formatLessons(listLessons(host.db, host.project)));
    },
  },
  {
    name: 'undo',
    help: 'put back the files the last run changed',
    run: (host) => undoLast(host),
  },
  {
    name: 'clear',
    help: 'start a new thread and clear the screen',
    run: (host) => host.newThread(),
  },
  {
    name: 'compact',
    help: "summarise this thread's older turns now",
    run: (host) => host.compact(),
  },
  {
    name: 'cost',
    help: 'tokens and cost of each run in this session',
    run: (host) => host.print(costReport(host.state())),
  },
  {
    name: 'model',
    args: '[id]',
    help: 'show or set the model for the next runs',
    run: (host, args) => {
      if (!args) return host.print(`model: ${host.state().model}`);
      host.setModel(args);
      host.print(`model for the next runs: ${args}`);
    },
  },
  {
    name: 'agents',
    help: 'the agent files the orchestrator may choose (as baton agents)',
    run: async (host) => {
      const [{ loadAgentFiles }, { formatAgents, formatWarnings }] = await Promise.all([
        import('../../extensions/agents.js'),
        import('../commands/extensions-format.js'),
      ]);
      const set = loadAgentFiles({ root: host.project });
      host.print((formatAgents(set.agents, host.project) + formatWarnings(set.warnings)).trimEnd());
    },
  },
  {
    name: 'playbooks',
    help: 'the playbooks the orchestrator may choose (as baton playbooks)',
    run: async (host) => {
      const [{ loadPlaybooks }, { formatPlaybooks, formatWarnings }] = await Promise.all([
        import('../../extensions/playbooks.js'),
        import('../commands/extensions-format.js'),
      ]);
      const set = loadPlaybooks({ root: host.project });
      host.print((formatPlaybooks(set.playbooks, host.project) + formatWarnings(set.warnings)).trimEnd());
    },
  },
  {
    name: 'mcp',
    help: "this session's MCP servers: trust, connection, tools (as baton mcp list)",
    run: async (host) => {
      const [{ sessionMcp }, { formatMcpServers }] = await Promise.all([import('../interactive.js'), import('../commands/extensions-format.js')]);
      const mcp = await sessionMcp(host.db, host.project);
      if (!mcp) return host.print('No MCP servers (add them to .mcp.json or $BATON_HOME/mcp.json).');
      // The session's own connections (kept for its runs); an unapproved server is approved at the prompt of a run or with baton mcp approve.
      await mcp.connect();
      host.print(formatMcpServers(mcp.status()).trimEnd());
    },
  },
  {
    name: 'exit',
    help: 'leave the session',
    run: (host) => host.exit(),
  },
];

/** `/name args` → its parts; undefined for text that is not a slash command. */
export function parseSlash(text: string): { name: string; args: string } | undefined {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(text.trim());
  return m ? { name: m[1]!, args: m[2]!.trim() } : undefined;
}

/** Commands whose name starts with what is typed after the slash (only while typing the name). */
export function matchingCommands(text: string): { name: string; args?: string | undefined; help: string }[] {
  const m = /^\/(\S*)$/.exec(text);
  return m ? commands.filter((c) => c.name.startsWith(m[1]!)) : [];
}

/** Tab: the unique match with a space after it, else the longest common prefix of the matches. */
export function completeSlash(text: string): string | undefined {
  const names = matchingCommands(text).map((c) => c.name);
  if (names.length === 0) return undefined;
  if (names.length === 1) return `/${names[0]} `;
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return `/${prefix}`;
}

export async function runSlash(host: CommandHost, text: string): Promise<void> {
  const parsed = parseSlash(text);
  const command = parsed && commands.find((c) => c.name === parsed.name);
  if (!parsed || !command) {
    host.notice('warn', `unknown command ${text.trim().split(/\s/, 1)[0]}; /help lists them`);
    return;
  }
  try {
    await command.run(host, parsed.args);
  } catch (err) {
    host.notice('error', `/${command.name}: ${oneLine(errorMessage(err), 300)}`);
  }
}

/** How the review renderers should draw: colour unless NO_COLOR (or not a terminal), at the terminal's width. */
function view(): { color: boolean; width: number } {
  return { color: colorsEnabled() && process.stdout.isTTY === true, width: process.stdout.columns || 80 };
}

async function feedback(host: CommandHost, args: string): Promise<void> {
  const m = /^(good|bad)\b\s*([\s\S]*)$/.exec(args);
  if (!m) return host.notice('warn', 'usage: /feedback good|bad [note]');
  const runId = host.state().lastRunId;
  if (!runId) return host.notice('info', 'no run to rate yet in this thread');
  const { recordFeedback } = await import('../../learning/feedback.js');
  const r = recordFeedback(host.db, runId, m[1] as 'good' | 'bad', m[2] || undefined);
  const changed = r.lessons.filter((l) => l.after !== l.before).length;
  host.print(
    `recorded ${r.verdict} feedback for ${r.runId}${r.previous && r.previous !== r.verdict ? ` (was ${r.previous})` : ''}; ${plural(changed, 'lesson')} reweighted`,
  );
}

async function undoLast(host: CommandHost): Promise<void> {
  const [{ undo }, { formatUndoResult }] = await Promise.all([import('../../git/undo.js'), import('../commands/undo.js')]);
  host.print(formatUndoResult(await undo(host.db, host.project, host.state().lastRunId)));
}

function costReport(state: UiState): string {
  if (state.runs.length === 0) return 'no runs yet in this session';
  const input = (u: Usage) => formatTokens(totalInput(u));
  const rows = state.runs.map(
    (r) =>
      `${r.runId}  ${r.pattern ?? '-'} · ${r.status} · ${formatDuration(r.durationMs)}\n` +
      `    ${input(r.usage)} in (cache read ${cacheShare(r.usage)}%) · ${formatTokens(r.usage.outputTokens)} out · ${formatCost(r.costUsd)}`,
  );
  const u = state.usage;
  return `${rows.join('\n')}\nsession: ${input(u)} in (${formatTokens(u.cacheReadTokens)} cache read, ${formatTokens(u.cacheWriteTokens)} cache write) · ${formatTokens(u.outputTokens)} out · ${formatCost(state.costUsd)}`;
}
