import type { Session } from '../orchestrator/session-types.js';
import type { Telemetry } from './index.js';

/** The session with every run's events (and its analysis) also recorded. */
export function observeSession(session: Session, telemetry: Telemetry | undefined): Session {
  if (!telemetry) return session;
  return Object.assign(Object.create(session) as Session, {
    run: (prompt: string, hooks: Parameters<Session['run']>[1], signal: AbortSignal) => session.run(prompt, telemetry.observe(hooks), signal),
    answer: (runId: string, answer: string, hooks: Parameters<Session['answer']>[2], signal: AbortSignal) =>
      session.answer(runId, answer, telemetry.observe(hooks), signal),
  });
}
