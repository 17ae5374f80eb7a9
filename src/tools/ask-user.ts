import * as z from '../core/zod.js';
import { defineTool } from './define.js';

const schema = z.strictObject({
  question: z.string().check(z.minLength(1)),
  options: z.optional(z.array(z.string().check(z.minLength(1)))).check(z.describe('Choices to offer, when there are clear ones')),
});

/** Schema and description only: the agent loop intercepts ask_user and asks through the front end. */
export const askUserTool = defineTool({
  name: 'ask_user',
  description: 'Ask the user a question and wait for the answer. Only when you cannot proceed without their decision.',
  schema,
  permission: 'none',
  ruleKey: () => 'ask_user',
  title: (input) => `ask: ${input.question}`,
  subject: (input) => input.question,
  async run() {
    return { isError: true, output: 'ask_user is answered by the agent loop, not run as a tool' };
  },
});
