import type { AgentFile } from '../../extensions/agents.js';
import { displayPath } from '../../extensions/files.js';
import { describeTransport } from '../../extensions/mcp/config.js';
import type { McpServerState } from '../../extensions/mcp/manager.js';
import type { Playbook } from '../../extensions/playbooks.js';
import type { ExtensionWarning } from '../../extensions/types.js';

export function formatAgents(agents: readonly AgentFile[], root: string): string {
  if (!agents.length) return 'No agent files (.baton/agents/, .claude/agents/, $BATON_HOME/agents/).\n';
  return agents
    .map((a) => {
      const extra = [a.model && `model ${a.model}`, a.effort && `effort ${a.effort}`, a.maxTurns && `max ${a.maxTurns} turns`].filter(Boolean).join(', ');
      return [
        `${a.name}  ${displayPath(a.path, root)} (${a.source})`,
        `  ${a.description.replace(/\s+/g, ' ')}`,
        `  tools: ${a.tools.join(', ') || 'none'}${extra ? `; ${extra}` : ''}`,
      ].join('\n');
    })
    .join('\n')
    .concat('\n');
}

export function formatPlaybooks(playbooks: readonly Playbook[], root: string): string {
  if (!playbooks.length) return 'No playbooks (.baton/playbooks/, $BATON_HOME/playbooks/).\n';
  return playbooks
    .map((p) => {
      const params = Object.entries(p.params).map(([n, v]) => `${n}${v.default === undefined ? ' (required)' : `=${v.default}`}`);
      return [
        `${p.id}  ${p.name}  ${displayPath(p.path, root)} (${p.source}, ${p.hash.slice(0, 12)})`,
        `  ${p.description.replace(/\s+/g, ' ')}`,
        ...(params.length ? [`  params: ${params.join(', ')}`] : []),
        ...p.steps.map((s, i) => `  ${i + 1}. ${s.title}`),
      ].join('\n');
    })
    .join('\n')
    .concat('\n');
}

export function formatMcpServers(states: readonly McpServerState[]): string {
  return states
    .map((s) => {
      const status =
        s.status === 'connected'
          ? `connected in ${((s.connectMs ?? 0) / 1000).toFixed(1)} s, ${s.tools.length} tool${s.tools.length === 1 ? '' : 's'}`
          : s.status === 'failed'
            ? `failed: ${s.error ?? 'unknown error'}`
            : s.status;
      const trust = s.trust === 'unapproved' || s.trust === 'changed' ? `${s.trust} (baton mcp approve ${s.config.name})` : s.trust;
      return [
        `${s.config.name}  ${s.config.file} (${s.config.source}, ${s.config.transport.type})  ${describeTransport(s.config.transport)}`,
        `  trust: ${trust}; ${status}`,
        ...s.tools.map((t) => `  - ${t.name}: ${t.description.length > 100 ? `${t.description.slice(0, 99)}…` : t.description}`),
      ].join('\n');
    })
    .join('\n')
    .concat('\n');
}

export function formatWarnings(warnings: readonly ExtensionWarning[]): string {
  if (!warnings.length) return '';
  const lines = warnings.map((w) => `  ${w.file}${w.field ? `: ${w.field}` : ''}: ${w.message}`);
  return `Problems:\n${lines.join('\n')}\n`;
}
