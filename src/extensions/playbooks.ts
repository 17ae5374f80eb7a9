/**
 * Playbooks: `.baton/playbooks/<id>.md|.json` and `$BATON_HOME/playbooks/`. A named procedure with
 * parameters whose steps become a plan (plan-execute) when the orchestrator chooses it.
 */
import { join } from 'node:path';
import * as z from '../core/zod.js';
import { displayPath, listFiles, readText, sha256 } from './files.js';
import { parseFrontMatter } from './front-matter.js';
import { places } from './places.js';
import type { ExtensionContext, ExtensionSource, ExtensionWarning } from './types.js';
import { firstIssue } from './zod-issue.js';
import { paramsUsed } from './playbook-params.js';

// The template functions live apart so a run can use them without loading the YAML parser.
export { fillParams, instantiate, paramsUsed, resolveParams, type MissingParam } from './playbook-params.js';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PLAYBOOK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const Param = z.strictObject({
  description: z.string().check(z.trim(), z.minLength(1)),
  // A YAML `default: 1.2` is a number: the value is text in the end.
  default: z.optional(z.pipe(z.union([z.string(), z.number(), z.boolean()]), z.transform(String))),
});

const Params = z._default(z.record(z.string().check(z.regex(PARAM_NAME, 'parameter names are letters, digits, - and _')), Param), {});

const Step = z.strictObject({ title: z.string().check(z.trim(), z.minLength(1)), instructions: z.string().check(z.trim(), z.minLength(1)) });

const MarkdownFront = z.looseObject({
  name: z.string().check(z.trim(), z.minLength(1)),
  description: z.string().check(z.trim(), z.minLength(1)),
  params: Params,
});

const JsonPlaybook = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1)),
  description: z.string().check(z.trim(), z.minLength(1)),
  params: Params,
  steps: z.array(Step).check(z.minLength(1)),
});

export interface PlaybookParam {
  description: string;
  default?: string;
}

export interface PlaybookStep {
  title: string;
  instructions: string;
}

export interface Playbook {
  /** The file name without extension: what a decision names (`playbook: <id>`). */
  id: string;
  name: string;
  description: string;
  params: Record<string, PlaybookParam>;
  steps: PlaybookStep[];
  path: string;
  source: ExtensionSource;
  /** sha256 of the file's text, recorded with a run that used it. */
  hash: string;
}

export interface PlaybookSet {
  playbooks: Playbook[];
  warnings: ExtensionWarning[];
  /** sha256 over every loaded playbook file: changes only when a file does. */
  hash: string;
}

export function loadPlaybooks(ctx: ExtensionContext): PlaybookSet {
  const byId = new Map<string, Playbook>();
  const warnings: ExtensionWarning[] = [];
  for (const place of places(ctx, 'playbooks')) {
    const seenHere = new Set<string>();
    for (const file of listFiles(place.dir, ['.md', '.json'])) {
      const path = join(place.dir, file);
      const shown = displayPath(path, ctx.root);
      const warn = (field: string | undefined, message: string) => warnings.push({ file: shown, ...(field ? { field } : {}), message });
      const id = file.replace(/\.(md|json)$/, '');
      if (!PLAYBOOK_ID.test(id)) {
        warn(undefined, 'the file name (the playbook id) must be letters, digits, - and _ (skipped)');
        continue;
      }
      if (seenHere.has(id)) {
        warn(undefined, `another file in ${displayPath(place.dir, ctx.root)} already defines playbook "${id}" (skipped)`);
        continue;
      }
      const playbook = parsePlaybook(readText(path), { id, path, source: place.source }, warn);
      if (!playbook) continue;
      seenHere.add(id);
      if (!byId.has(id)) byId.set(id, playbook);
    }
  }
  const playbooks = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { playbooks, warnings, hash: sha256(playbooks.map((p) => `${p.id}\0${p.hash}`).join('\n')) };
}

/** One playbook file (`.md` or `.json` by its path), or undefined after reporting why not through `warn`. */
export function parsePlaybook(
  text: string,
  where: { id: string; path: string; source: ExtensionSource },
  warn: (field: string | undefined, message: string) => void,
): Playbook | undefined {
  const shape = where.path.endsWith('.json') ? parseJson(text, warn) : parseMarkdown(text, warn);
  if (!shape) return undefined;
  for (const [i, step] of shape.steps.entries()) {
    const undeclared = paramsUsed(`${step.title}\n${step.instructions}`).filter((p) => !(p in shape.params));
    if (undeclared.length) {
      warn(`steps.${i}`, `uses {{${undeclared[0]}}}, which params does not declare (skipped)`);
      return undefined;
    }
  }
  return { id: where.id, ...shape, path: where.path, source: where.source, hash: sha256(text) };
}

type Shape = Pick<Playbook, 'name' | 'description' | 'params' | 'steps'>;
type Warn = (field: string | undefined, message: string) => void;

function parseJson(text: string, warn: Warn): Shape | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    warn(undefined, `not valid JSON: ${(err as Error).message} (skipped)`);
    return undefined;
  }
  const parsed = JsonPlaybook.safeParse(json);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    warn(field, `${message} (skipped)`);
    return undefined;
  }
  return normalise(parsed.data);
}

function parseMarkdown(text: string, warn: Warn): Shape | undefined {
  const fm = parseFrontMatter(text);
  if (!fm.ok) {
    warn(undefined, `${fm.message} (skipped)`);
    return undefined;
  }
  const parsed = MarkdownFront.safeParse(fm.data);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    warn(field, `${message} (skipped)`);
    return undefined;
  }
  const steps = markdownSteps(fm.body);
  if (!steps.length) {
    warn('steps', 'no steps: each "## Heading" of the body is one (skipped)');
    return undefined;
  }
  const empty = steps.findIndex((s) => !s.instructions);
  if (empty >= 0) {
    warn(`steps.${empty}`, `step "${steps[empty]!.title}" has no instructions under its heading (skipped)`);
    return undefined;
  }
  return normalise({ ...parsed.data, steps });
}

function normalise(s: {
  name: string;
  description: string;
  params: Record<string, { description: string; default?: string | undefined }>;
  steps: PlaybookStep[];
}): Shape {
  const params: Record<string, PlaybookParam> = {};
  for (const [name, p] of Object.entries(s.params))
    params[name] = p.default === undefined ? { description: p.description } : { description: p.description, default: p.default };
  return { name: s.name, description: s.description, params, steps: s.steps };
}

/** Each `## Heading` (outside code fences) starts a step; text before the first one is an introduction and ignored. */
export function markdownSteps(body: string): PlaybookStep[] {
  const steps: { title: string; lines: string[] }[] = [];
  let fence: string | undefined;
  for (const line of body.split(/\r?\n/)) {
    const f = /^\s*(```|~~~)/.exec(line);
    if (f) fence = fence === undefined ? f[1] : fence === f[1] ? undefined : fence;
    const heading = fence === undefined && !f ? /^##\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (heading) steps.push({ title: heading[1]!, lines: [] });
    else steps.at(-1)?.lines.push(line);
  }
  return steps.map((s) => ({ title: s.title, instructions: s.lines.join('\n').trim() }));
}

/** The compact text the orchestrator is shown: id, description and parameters of each playbook. */
export function describePlaybooks(playbooks: readonly Playbook[]): string {
  if (!playbooks.length) return '';
  const lines = playbooks.map((p) => {
    const params = Object.entries(p.params).map(
      ([n, v]) => `${n}${v.default === undefined ? ' (required)' : ` (default ${JSON.stringify(v.default)})`}: ${v.description}`,
    );
    return `- ${p.id}: ${p.description.replace(/\s+/g, ' ')} (${p.steps.length} steps)${params.length ? `; params: ${params.join('; ')}` : ''}`;
  });
  return `Playbooks (choose with pattern plan-execute and \`playbook: <id>\`, giving the parameter values the prompt states):\n${lines.join('\n')}`;
}
