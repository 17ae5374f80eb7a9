/** A file that did not validate (or a key that was ignored): one line naming the file and the field. */
export interface ExtensionWarning {
  file: string;
  /** The front-matter or JSON field at fault, when there is one. */
  field?: string;
  message: string;
}

export function formatWarning(w: ExtensionWarning): string {
  return `${w.file}${w.field ? `: ${w.field}` : ''}: ${w.message}`;
}

/** Where an extension file was found: the project (repository) or the user ($BATON_HOME). */
export type ExtensionSource = 'project' | 'user';

/** What every loader needs: the project root and the environment (for $BATON_HOME). */
export interface ExtensionContext {
  root: string;
  env?: NodeJS.ProcessEnv;
}
