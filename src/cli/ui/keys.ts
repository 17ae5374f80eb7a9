/**
 * Decodes what the terminal sends (ink has already split it into single key sequences and runs of
 * plain text) into keys the session understands. ink's own key parser cannot tell Backspace from
 * Delete, Ctrl-J from Enter or see bracketed pastes, so the session reads the raw sequences.
 */
export type KeyName =
  | 'text'
  | 'paste'
  | 'return'
  | 'newline'
  | 'backspace'
  | 'delete'
  | 'left'
  | 'right'
  | 'up'
  | 'down'
  | 'home'
  | 'end'
  | 'wordLeft'
  | 'wordRight'
  | 'tab'
  | 'shiftTab'
  | 'escape'
  | 'ctrlC'
  | 'ctrlD'
  | 'killBefore'
  | 'killAfter'
  | 'killWord'
  | 'ctrlL'
  | 'ctrlO'
  | 'unknown';

export interface KeyPress {
  name: KeyName;
  /** The characters, for `text` and `paste`. */
  text: string;
}

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';
/** Ask the terminal to bracket pastes, so a pasted newline never sends the prompt. */
export const ENABLE_BRACKETED_PASTE = '\x1b[?2004h';
export const DISABLE_BRACKETED_PASTE = '\x1b[?2004l';

const sequences: Record<string, KeyName> = {
  '\r': 'return',
  '\n': 'newline', // Ctrl-J
  '\x1b\r': 'newline', // Alt/Meta+Enter
  '\x1b\n': 'newline',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x1b\x7f': 'killWord',
  '\x1b[3~': 'delete',
  '\x04': 'ctrlD',
  '\x1b[D': 'left',
  '\x1bOD': 'left',
  '\x1b[C': 'right',
  '\x1bOC': 'right',
  '\x1b[A': 'up',
  '\x1bOA': 'up',
  '\x1b[B': 'down',
  '\x1bOB': 'down',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x1b[7~': 'home',
  '\x01': 'home', // Ctrl-A
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x1b[8~': 'end',
  '\x05': 'end', // Ctrl-E
  '\x1b[1;5D': 'wordLeft',
  '\x1b[1;3D': 'wordLeft',
  '\x1bb': 'wordLeft',
  '\x1b[1;5C': 'wordRight',
  '\x1b[1;3C': 'wordRight',
  '\x1bf': 'wordRight',
  '\t': 'tab',
  '\x1b[Z': 'shiftTab',
  '\x1b': 'escape',
  '\x1b\x1b': 'escape',
  '\x03': 'ctrlC',
  '\x15': 'killBefore', // Ctrl-U
  '\x0b': 'killAfter', // Ctrl-K
  '\x17': 'killWord', // Ctrl-W
  '\x0c': 'ctrlL',
  '\x0f': 'ctrlO', // unfold / fold the last run's agents and tool calls
};

/** Stateful only for bracketed pastes, which may arrive over several reads. */
export class KeyDecoder {
  private paste: string[] | undefined;

  push(raw: string): KeyPress[] {
    if (this.paste) {
      const end = raw.indexOf(PASTE_END);
      if (end < 0) {
        this.paste.push(raw);
        return [];
      }
      this.paste.push(raw.slice(0, end));
      const text = normalizeNewlines(this.paste.join(''));
      this.paste = undefined;
      const after = raw.slice(end + PASTE_END.length);
      return [{ name: 'paste', text }, ...(after ? this.push(after) : [])];
    }
    if (raw.startsWith(PASTE_START)) {
      this.paste = [];
      const rest = raw.slice(PASTE_START.length);
      return rest ? this.push(rest) : [];
    }
    const name = sequences[raw];
    if (name) return [{ name, text: '' }];
    if (raw.startsWith('\x1b')) {
      // Alt+letter and sequences nobody here handles.
      return [{ name: 'unknown', text: '' }];
    }
    if (raw.length === 1 && raw < ' ') return [{ name: 'unknown', text: '' }];
    return decodeText(raw);
  }
}

/**
 * Plain text. Several characters at once come from a fast typist, a program (tmux send-keys) or a
 * paste in a terminal without bracketed paste: text ending in one Enter is typed input followed
 * by Enter; text with line breaks inside is a paste and keeps them.
 */
function decodeText(raw: string): KeyPress[] {
  const breaks = raw.match(/\r\n|\r|\n/g)?.length ?? 0;
  if (breaks === 1 && raw.endsWith('\r'))
    return [
      { name: 'text', text: raw.slice(0, -1) },
      { name: 'return', text: '' },
    ];
  if (breaks > 0) return [{ name: 'paste', text: normalizeNewlines(raw) }];
  return [{ name: 'text', text: raw }];
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
