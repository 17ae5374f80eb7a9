/** Errors the user can act on: printed as one line (no stack unless --debug) with an exit code. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, waitingUser: 3, cancelled: 130 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.usage,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
