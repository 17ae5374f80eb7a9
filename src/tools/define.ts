import type * as z from '../core/zod.js';
import type { ToolResult, ToolSpec } from './types.js';

/** A failure the model can act on: becomes an is_error result carrying exactly this message. */
export class ToolFailure extends Error {
  override name = 'ToolFailure';
}

export function fail(message: string): never {
  throw new ToolFailure(message);
}

export function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

export const isMissing = (err: unknown): boolean => errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR';

const errnoHints: Record<string, string> = {
  EACCES: 'permission denied by the file system',
  EPERM: 'operation not permitted by the file system',
  EISDIR: 'the path is a directory',
  ENOTDIR: 'a parent of the path is a file, not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * Wraps run() so a tool never throws: a ToolFailure becomes its message, anything unexpected
 * becomes one line naming the tool (a crash must not end the run).
 */
export function defineTool<S extends z.ZodMiniType>(spec: ToolSpec<S>): ToolSpec<S> {
  return {
    ...spec,
    async run(input, ctx): Promise<ToolResult> {
      try {
        return await spec.run(input, ctx);
      } catch (err) {
        if (err instanceof ToolFailure) return { isError: true, output: err.message };
        const code = errnoCode(err);
        const hint = code ? errnoHints[code] : undefined;
        const detail = hint ?? (err instanceof Error ? err.message : String(err));
        return { isError: true, output: `${spec.name} failed: ${detail}` };
      }
    },
  };
}
