/**
 * The part of the Anthropic SDK baton uses: the SDK's own base client with only the Messages
 * resource. The full `Anthropic` class constructs every resource (beta, files, skills, models, …),
 * so a bundle of it carries ~700 KB that every `baton -p` would compile; this one is ~220 KB.
 * Imported on the first model call (client.ts), never at start-up.
 */
import { BaseAnthropic, type ClientOptions } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages/messages';

export { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';

export class MessagesClient extends BaseAnthropic {
  readonly messages: Messages = new Messages(this);
}

export function createSdkClient(options: ClientOptions): MessagesClient {
  return new MessagesClient(options);
}
