/**
 * `baton agents`, `baton playbooks` and `baton mcp list|approve|revoke`: what a project and the user
 * added, with every validation problem. Everything is imported when the command runs (off the -p path).
 */
import type { Command } from 'commander';
import { ExitCode, UserError } from '../../core/errors.js';

interface JsonOpt {
  json?: boolean;
}

export function registerExtensionCommands(program: Command): void {
  program
    .command('agents')
    .description('list the agent files (.baton/agents, .claude/agents, $BATON_HOME/agents) and their problems')
    .option('--json', 'print JSON')
    .action(async (opts: JsonOpt) => {
      const [{ loadAgentFiles }, { projectRoot }] = await Promise.all([import('../../extensions/agents.js'), import('../project.js')]);
      const root = projectRoot();
      const set = loadAgentFiles({ root });
      if (opts.json) {
        const agents = set.agents.map(({ system, ...a }) => ({ ...a, systemChars: system.length }));
        print(JSON.stringify({ agents, warnings: set.warnings, hash: set.hash }));
      } else {
        const { formatAgents, formatWarnings } = await import('./extensions-format.js');
        print(formatAgents(set.agents, root) + formatWarnings(set.warnings));
      }
      if (set.warnings.length) process.exitCode = ExitCode.failed;
    });

  program
    .command('playbooks')
    .description('list the playbooks (.baton/playbooks, $BATON_HOME/playbooks) and their problems')
    .option('--json', 'print JSON')
    .action(async (opts: JsonOpt) => {
      const [{ loadPlaybooks }, { projectRoot }] = await Promise.all([import('../../extensions/playbooks.js'), import('../project.js')]);
      const root = projectRoot();
      const set = loadPlaybooks({ root });
      if (opts.json) {
        print(JSON.stringify({ playbooks: set.playbooks, warnings: set.warnings }));
      } else {
        const { formatPlaybooks, formatWarnings } = await import('./extensions-format.js');
        print(formatPlaybooks(set.playbooks, root) + formatWarnings(set.warnings));
      }
      if (set.warnings.length) process.exitCode = ExitCode.failed;
    });

  const mcp = program.command('mcp').description('MCP servers: list them, approve or revoke a project server');

  mcp
    .command('list')
    .description('servers from .mcp.json and $BATON_HOME/mcp.json: trust, connection and tools')
    .option('--json', 'print JSON')
    .option('--no-connect', 'do not start the servers (trust only)')
    .action(async (opts: JsonOpt & { connect: boolean }, cmd: Command) => {
      const [{ commandContext }, { openMcp }] = await Promise.all([import('../globals.js'), import('../../extensions/mcp/index.js')]);
      const ctx = commandContext(cmd);
      const warnings: string[] = [];
      try {
        // Notices about servers not started or failing are in the listing itself; only file problems are printed apart.
        const manager = await openMcp({ root: ctx.project, db: ctx.db, onNotice: (n) => (n.startsWith('MCP server') ? undefined : warnings.push(n)) });
        if (!manager) {
          if (opts.json) print(JSON.stringify({ servers: [], warnings }));
          else print(`No MCP servers (add them to .mcp.json or $BATON_HOME/mcp.json).\n${warnings.map((w) => `  ${w}\n`).join('')}`);
          return;
        }
        try {
          if (opts.connect) await manager.connect();
          const states = manager.status();
          if (opts.json) {
            print(
              JSON.stringify({
                servers: states.map((s) => ({
                  name: s.config.name,
                  source: s.config.source,
                  file: s.config.file,
                  transport: s.config.transport.type,
                  trust: s.trust,
                  status: s.status,
                  ...(s.error ? { error: s.error } : {}),
                  ...(s.connectMs !== undefined ? { connectMs: Math.round(s.connectMs) } : {}),
                  tools: s.tools.map((t) => ({ name: t.name, description: t.description })),
                })),
                warnings,
              }),
            );
          } else {
            const { formatMcpServers } = await import('./extensions-format.js');
            print(formatMcpServers(states) + (warnings.length ? `Problems:\n${warnings.map((w) => `  ${w}\n`).join('')}` : ''));
          }
          if (warnings.length || states.some((s) => s.status === 'failed')) process.exitCode = ExitCode.failed;
        } finally {
          await manager.close();
        }
      } finally {
        ctx.db.close();
      }
    });

  mcp
    .command('approve')
    .description("allow a project's .mcp.json server to start in this project (as it is defined now)")
    .argument('<name>', 'server name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const { ctx, server } = await projectServer(cmd, name);
      try {
        const { approveMcpServer } = await import('../../store/mcp-approvals.js');
        approveMcpServer(ctx.db, ctx.project, name, server.hash);
        const { describeTransport } = await import('../../extensions/mcp/config.js');
        print(
          `Approved MCP server "${name}" for ${ctx.project}: ${describeTransport(server.transport)}\n(If ${server.file} changes its definition, it needs approving again.)\n`,
        );
      } finally {
        ctx.db.close();
      }
    });

  mcp
    .command('revoke')
    .description("withdraw the approval of a project's MCP server")
    .argument('<name>', 'server name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const [{ commandContext }, { revokeMcpServer }] = await Promise.all([import('../globals.js'), import('../../store/mcp-approvals.js')]);
      const ctx = commandContext(cmd);
      try {
        if (!revokeMcpServer(ctx.db, ctx.project, name)) throw new UserError(`MCP server "${name}" is not approved in ${ctx.project}`);
        print(`Revoked the approval of MCP server "${name}"; it will not start here until approved again.\n`);
      } finally {
        ctx.db.close();
      }
    });
}

async function projectServer(cmd: Command, name: string) {
  const [{ commandContext }, { loadMcpServers }] = await Promise.all([import('../globals.js'), import('../../extensions/mcp/config.js')]);
  const ctx = commandContext(cmd);
  const { servers } = loadMcpServers({ root: ctx.project });
  const server = servers.find((s) => s.name === name);
  if (!server || server.source === 'user') {
    ctx.db.close();
    if (server) throw new UserError(`MCP server "${name}" is in $BATON_HOME/mcp.json and trusted already; approval is for a project's .mcp.json servers`);
    const names = servers.filter((s) => s.source === 'project').map((s) => s.name);
    throw new UserError(`no server "${name}" in ${ctx.project}/.mcp.json${names.length ? ` (it has: ${names.join(', ')})` : ''}`);
  }
  return { ctx, server };
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
