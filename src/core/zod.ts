/**
 * zod for every module: the tree-shakable `zod/mini` API, with English messages. Classic zod sets
 * the English locale when its first schema is built; mini sets none (every issue would read
 * "Invalid input"), and our warnings and tool errors quote zod's messages. Mini builds a schema
 * without attaching classic's ~40 methods to it and bundles to less than half the size: every
 * command builds the tool, decision and config schemas at start-up.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
