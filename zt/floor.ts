import { createLlmClient } from '../src/llm/client.js';
const c = createLlmClient({ apiKey: 'test-key', baseURL: process.env.ANTHROPIC_BASE_URL });
const r = await c.call({ model: 'claude-sonnet-5-5', system: 'x', messages: [{ role: 'user', content: 'coder: say hi' }], maxTokens: 100 } as never);
process.stdout.write(String(JSON.stringify(r.content)).slice(0, 10) + '\n');
process.exit(0);
