/**
 * Prompt history, per project, in `$BATON_HOME/history.jsonl` (one `{project, prompt, at}` per
 * line, shared by all projects and baton processes: lines are appended whole). Unreadable lines
 * are skipped; a missing or unwritable file only costs the history, never the session.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from '../../core/zod.js';

const HistoryLine = z.object({ project: z.string(), prompt: z.string(), at: z.number() });

/** Entries kept per project in memory. */
const KEEP = 500;
/** Past this many lines the file is rewritten with the newest ones. */
const MAX_FILE_LINES = 5000;

export class PromptHistory {
  private constructor(
    private readonly file: string,
    private readonly project: string,
    readonly entries: string[],
  ) {}

  static load(file: string, project: string): PromptHistory {
    let lines: string[] = [];
    try {
      lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      // no history yet
    }
    const entries: string[] = [];
    for (const line of lines) {
      const parsed = HistoryLine.safeParse(safeJson(line));
      if (parsed.success && parsed.data.project === project) entries.push(parsed.data.prompt);
    }
    if (lines.length > MAX_FILE_LINES) {
      try {
        writeFileSync(file, `${lines.slice(-MAX_FILE_LINES / 2).join('\n')}\n`);
      } catch {
        // keep the long file; it still works
      }
    }
    return new PromptHistory(file, project, entries.slice(-KEEP));
  }

  add(prompt: string): void {
    if (!prompt.trim() || this.entries.at(-1) === prompt) return;
    this.entries.push(prompt);
    if (this.entries.length > KEEP) this.entries.shift();
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(HistoryLine.parse({ project: this.project, prompt, at: Date.now() }))}\n`);
    } catch {
      // history is a convenience: a read-only home must not break the session
    }
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
