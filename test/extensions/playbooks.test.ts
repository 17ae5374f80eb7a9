import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePlaybooks, fillParams, instantiate, loadPlaybooks, markdownSteps, paramsUsed, resolveParams } from '../../src/extensions/playbooks.js';
import { formatWarning } from '../../src/extensions/types.js';
import { makeDirs, type Dirs } from './helpers.js';

const release = `---
name: Release
description: Cut a release of the package.
params:
  version:
    description: the version to release, e.g. 1.4.0
  branch:
    description: the branch to release from
    default: main
---
Intro text that is not a step.

## Check the {{branch}} branch is clean
Run \`git status\` on {{ branch }}; stop if anything is uncommitted.

## Bump the version
Set the version in package.json to {{version}} and update CHANGELOG.md.

\`\`\`md
## not a step: inside a fence
\`\`\`

## Tag
Commit as "release {{version}}" and tag v{{version}}.
`;

let d: Dirs;
beforeEach(() => (d = makeDirs()));
afterEach(() => d.cleanup());
const load = () => loadPlaybooks({ root: d.root, env: d.env });

describe('playbooks', () => {
  it('reads a Markdown playbook: front matter, params, one step per ## heading (not inside fences)', () => {
    d.project('.baton/playbooks/release.md', release);
    const set = load();
    expect(set.warnings).toEqual([]);
    const p = set.playbooks[0]!;
    expect(p).toMatchObject({
      id: 'release',
      name: 'Release',
      source: 'project',
      params: { version: { description: 'the version to release, e.g. 1.4.0' }, branch: { description: 'the branch to release from', default: 'main' } },
    });
    expect(p.steps.map((s) => s.title)).toEqual(['Check the {{branch}} branch is clean', 'Bump the version', 'Tag']);
    expect(p.steps[1]!.instructions).toContain('## not a step: inside a fence');
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('resolves values: given, then defaults; a missing required one names the first step that uses it', () => {
    d.project('.baton/playbooks/release.md', release);
    const p = load().playbooks[0]!;
    const none = resolveParams(p, {});
    expect(none.values).toEqual({ branch: 'main' });
    expect(none.missing).toEqual([{ name: 'version', description: 'the version to release, e.g. 1.4.0', firstStep: 1 }]);
    const given = resolveParams(p, { version: '2.0.0', branch: 'release' });
    expect(given.missing).toEqual([]);
    const steps = instantiate(p, given.values);
    expect(steps[0]!.title).toBe('Check the release branch is clean');
    expect(steps[0]!.instructions).toBe('Run `git status` on release; stop if anything is uncommitted.');
    expect(steps[2]!.instructions).toBe('Commit as "release 2.0.0" and tag v2.0.0.');
  });

  it('reads a JSON playbook in the shape of a stored plan', () => {
    d.user(
      'playbooks/deps.json',
      JSON.stringify({
        name: 'Update deps',
        description: 'bump dependencies',
        params: { pkg: { description: 'which package' } },
        steps: [
          { title: 'Bump {{pkg}}', instructions: 'npm install {{pkg}}@latest' },
          { title: 'Test', instructions: 'npm test' },
        ],
      }),
    );
    const set = load();
    expect(set.warnings).toEqual([]);
    expect(set.playbooks[0]).toMatchObject({ id: 'deps', source: 'user', steps: [{ title: 'Bump {{pkg}}' }, { title: 'Test' }] });
    expect(describePlaybooks(set.playbooks)).toContain('- deps: bump dependencies (2 steps); params: pkg (required): which package');
  });

  it('bad files are one warning each, naming file and field, and skipped', () => {
    d.project('.baton/playbooks/no-steps.md', '---\nname: a\ndescription: b\n---\njust text\n');
    d.project('.baton/playbooks/undeclared.md', '---\nname: a\ndescription: b\n---\n## One\nuse {{nope}}\n');
    d.project('.baton/playbooks/bad-param.md', '---\nname: a\ndescription: b\nparams:\n  v: {}\n---\n## One\ndo\n');
    d.project('.baton/playbooks/empty-step.md', '---\nname: a\ndescription: b\n---\n## One\n## Two\ndo\n');
    d.project('.baton/playbooks/broken.json', '{ "name": ');
    d.project('.baton/playbooks/shape.json', JSON.stringify({ name: 'x', description: 'y', steps: [{ title: 't' }] }));
    d.project('.baton/playbooks/bad name.md', '---\nname: a\ndescription: b\n---\n## One\ndo\n');
    const set = load();
    expect(set.playbooks).toEqual([]);
    const lines = set.warnings.map(formatWarning);
    expect(lines).toHaveLength(7);
    expect(lines).toContain('.baton/playbooks/no-steps.md: steps: no steps: each "## Heading" of the body is one (skipped)');
    expect(lines).toContain('.baton/playbooks/undeclared.md: steps.0: uses {{nope}}, which params does not declare (skipped)');
    expect(lines).toContain('.baton/playbooks/bad-param.md: params.v.description: required (skipped)');
    expect(lines).toContain('.baton/playbooks/empty-step.md: steps.0: step "One" has no instructions under its heading (skipped)');
    expect(lines.find((l) => l.startsWith('.baton/playbooks/broken.json: not valid JSON'))).toBeDefined();
    expect(lines).toContain('.baton/playbooks/shape.json: steps.0.instructions: required (skipped)');
    expect(lines.find((l) => l.startsWith('.baton/playbooks/bad name.md: the file name'))).toBeDefined();
  });

  it('the project wins over the user on the same id', () => {
    d.user('playbooks/release.md', release.replace('Cut a release', 'USER release'));
    d.project('.baton/playbooks/release.md', release);
    expect(load().playbooks.map((p) => [p.id, p.source, p.description])).toEqual([['release', 'project', 'Cut a release of the package.']]);
  });

  it('placeholder helpers', () => {
    expect(paramsUsed('{{a}} and {{ b }} and {{a}} and {{not valid}}')).toEqual(['a', 'b']);
    expect(fillParams('v{{version}} {{other}}', { version: '1.0' })).toBe('v1.0 {{other}}');
    expect(fillParams('{{constructor}}', {})).toBe('{{constructor}}');
    expect(markdownSteps('## A\nx\n### sub\ny\n## B ##\nz')).toEqual([
      { title: 'A', instructions: 'x\n### sub\ny' },
      { title: 'B', instructions: 'z' },
    ]);
  });
});
