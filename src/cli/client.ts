import { UserError } from '../core/errors.js';
import { createLlmClient } from '../llm/client.js';
import type { LlmClient } from '../llm/types.js';

export const NO_KEY_MESSAGE = 'ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=<your key> (create one at https://console.anthropic.com/settings/keys)';

/** The LLM client for a prompt run; without a key, one line saying how to set it. */
export async function makeClient(env: NodeJS.ProcessEnv = process.env): Promise<LlmClient> {
  if (!env.ANTHROPIC_API_KEY && !env.ANTHROPIC_AUTH_TOKEN) throw new UserError(NO_KEY_MESSAGE);
  return createLlmClient({
    apiKey: env.ANTHROPIC_API_KEY,
    baseURL: env.ANTHROPIC_BASE_URL,
    maxAttempts: env.BATON_MAX_ATTEMPTS ? Number(env.BATON_MAX_ATTEMPTS) : undefined,
    baseDelayMs: env.BATON_RETRY_BASE_MS ? Number(env.BATON_RETRY_BASE_MS) : undefined,
    stallMs: env.BATON_STALL_MS && Number(env.BATON_STALL_MS) > 0 ? Number(env.BATON_STALL_MS) : undefined,
  });
}
