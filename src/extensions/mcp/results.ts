import { capOutput } from '../../tools/output.js';

/** The parts of an MCP CallToolResult we read (the SDK's type is a wide union). */
export interface McpCallResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  toolResult?: unknown;
}

type Item = {
  type?: string;
  text?: string;
  data?: string;
  mimeType?: string;
  uri?: string;
  name?: string;
  resource?: { uri?: string; mimeType?: string; text?: string; blob?: string };
};

/** Text as is; images, audio, binary resources and links as one line each (the model cannot see them here). */
export function formatMcpResult(result: McpCallResult): { output: string; isError: boolean } {
  const parts: string[] = [];
  for (const raw of result.content ?? []) {
    const item = raw as Item;
    switch (item.type) {
      case 'text':
        parts.push(item.text ?? '');
        break;
      case 'image':
      case 'audio':
        parts.push(`[${item.type}: ${item.mimeType ?? 'unknown type'}, ${size(item.data)}]`);
        break;
      case 'resource': {
        const r = item.resource ?? {};
        const head = `[resource ${r.uri ?? '(no uri)'}${r.mimeType ? ` (${r.mimeType})` : ''}`;
        parts.push(r.text !== undefined ? `${head}]\n${r.text}` : `${head}: binary, ${size(r.blob)}]`);
        break;
      }
      case 'resource_link':
        parts.push(`[resource link: ${item.uri ?? ''}${item.name ? ` (${item.name})` : ''}]`);
        break;
      default:
        parts.push(`[${item.type ?? 'unknown'} content]`);
    }
  }
  if (!parts.length && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent));
  if (!parts.length && result.toolResult !== undefined) parts.push(JSON.stringify(result.toolResult));
  return { output: capOutput(parts.join('\n')), isError: result.isError === true };
}

/** Size of base64 data in readable units. */
function size(base64: string | undefined): string {
  const text = base64 ?? '';
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Math.max(0, Math.floor((text.length * 3) / 4) - padding);
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
