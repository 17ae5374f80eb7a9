/**
 * A playbook's `{{param}}` templates: which parameters a text uses, the values for a run (given, then
 * defaults; missing required ones listed), and the steps with the values filled in. Free of the
 * parsing (and of the YAML parser), so plan-execute can use it on every run.
 */
import type { Playbook, PlaybookStep } from './playbooks.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/** The parameter names `text` uses as `{{name}}`, in order of first use. */
export function paramsUsed(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}

/** `{{name}}` replaced by its value; a placeholder without a value stays as it is. */
export function fillParams(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole));
}

export interface MissingParam {
  name: string;
  description: string;
  /** Index of the first step that uses it: the question is asked before that step. */
  firstStep: number;
}

/**
 * The values for a run of `playbook`: given ones, then defaults. A required parameter without a value
 * is listed with the first step that uses it (one no step uses is never asked for).
 */
export function resolveParams(playbook: Playbook, given: Readonly<Record<string, string>>): { values: Record<string, string>; missing: MissingParam[] } {
  const values: Record<string, string> = {};
  const missing: MissingParam[] = [];
  for (const [name, p] of Object.entries(playbook.params)) {
    if (Object.hasOwn(given, name)) values[name] = given[name]!;
    else if (p.default !== undefined) values[name] = p.default;
    else {
      const firstStep = playbook.steps.findIndex((s) => paramsUsed(`${s.title}\n${s.instructions}`).includes(name));
      if (firstStep >= 0) missing.push({ name, description: p.description, firstStep });
    }
  }
  return { values, missing: missing.sort((a, b) => a.firstStep - b.firstStep) };
}

/** The steps with every value filled in (the shape of a stored plan). */
export function instantiate(playbook: Playbook, values: Readonly<Record<string, string>>): PlaybookStep[] {
  return playbook.steps.map((s) => ({ title: fillParams(s.title, values), instructions: fillParams(s.instructions, values) }));
}
