// The tools both test servers offer (plain JS: spawned with node, no build step).
import { z } from 'zod';

/** A 1x1 transparent PNG. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export function registerTools(server, label) {
  server.registerTool('echo', { description: `Echo the text back (${label})`, inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text: `${label}: ${text}` }],
  }));
  server.registerTool('add', { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  server.registerTool('picture', { description: 'Return an image and a binary resource' }, async () => ({
    content: [
      { type: 'text', text: 'here is a picture' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
      { type: 'resource', resource: { uri: 'file:///blob.bin', mimeType: 'application/octet-stream', blob: PNG } },
    ],
  }));
  server.registerTool('big', { description: 'Return a long text', inputSchema: { chars: z.number() } }, async ({ chars }) => ({
    content: [{ type: 'text', text: 'x'.repeat(chars) }],
  }));
  server.registerTool('fail', { description: 'Report a tool error' }, async () => ({ isError: true, content: [{ type: 'text', text: 'it went wrong' }] }));
  server.registerTool('crash', { description: 'Exit the server process in the middle of the call' }, async () => {
    process.stderr.write('crashing on purpose\n');
    setTimeout(() => process.exit(3), 10);
    return new Promise(() => {});
  });
}
