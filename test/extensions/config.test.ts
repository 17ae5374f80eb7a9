import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRunOptions } from '../../src/cli/config.js';
import { loadConfig, loadEffectiveConfig, loadProjectConfig } from '../../src/extensions/config.js';
import { formatWarning } from '../../src/extensions/types.js';
import { makeDirs, type Dirs } from './helpers.js';

let d: Dirs;
beforeEach(() => (d = makeDirs()));
afterEach(() => d.cleanup());

describe('config', () => {
  it('a project may set disabled patterns and models; permission and budget keys are ignored with one warning each', () => {
    d.project(
      '.baton/config.json',
      JSON.stringify({ disabledPatterns: ['parallel'], model: 'm-project', permissionMode: 'bypass', maxBudgetUsd: 1000, autoCommit: true, colour: 'red' }),
    );
    const { config, warnings } = loadProjectConfig(d.root);
    expect(config).toEqual({ disabledPatterns: ['parallel'], model: 'm-project' });
    expect(warnings.map(formatWarning)).toEqual([
      '.baton/config.json: permissionMode: a project cannot set permissionMode (only $BATON_HOME/config.json can); ignored',
      '.baton/config.json: maxBudgetUsd: a project cannot set maxBudgetUsd (only $BATON_HOME/config.json can); ignored',
      '.baton/config.json: autoCommit: a project cannot set autoCommit (only $BATON_HOME/config.json can); ignored',
      '.baton/config.json: colour: unknown key; ignored',
    ]);
  });

  it('merges: project models over the user, disabled patterns united, user-only keys kept; flags still win', () => {
    d.user('config.json', JSON.stringify({ model: 'm-user', permissionMode: 'accept-edits', maxBudgetUsd: 2, disabledPatterns: ['clarify'] }));
    d.project('.baton/config.json', JSON.stringify({ model: 'm-project', disabledPatterns: ['parallel', 'clarify'], permissionMode: 'bypass' }));
    const eff = loadEffectiveConfig({ root: d.root, env: d.env });
    expect(eff.disabledPatterns).toEqual(['parallel', 'clarify']);
    expect(eff.config).toMatchObject({ model: 'm-project', permissionMode: 'accept-edits', maxBudgetUsd: 2 });
    expect(eff.warnings).toHaveLength(1);
    const opts = resolveRunOptions({ model: 'm-flag' }, eff.config);
    expect(opts).toMatchObject({ model: 'm-flag', permissionMode: 'accept-edits', maxBudgetUsd: 2 });
  });

  it('a broken project config is one warning and no settings; a broken user config still stops the command', () => {
    d.project('.baton/config.json', '{ nope');
    const p = loadProjectConfig(d.root);
    expect(p.config).toEqual({});
    expect(p.warnings).toHaveLength(1);
    expect(formatWarning(p.warnings[0]!)).toMatch(/^\.baton\/config\.json: not valid JSON/);
    d.project('.baton/config.json', JSON.stringify({ disabledPatterns: 'parallel' }));
    expect(formatWarning(loadProjectConfig(d.root).warnings[0]!)).toMatch(/^\.baton\/config\.json: disabledPatterns: .*; the file is ignored$/);
    d.user('config.json', JSON.stringify({ disabledPatterns: [1] }));
    expect(() => loadConfig(`${d.home}/config.json`)).toThrow(/disabledPatterns/);
  });

  it('nothing configured: empty settings, no warnings', () => {
    expect(loadEffectiveConfig({ root: d.root, env: d.env })).toEqual({ config: {}, disabledPatterns: [], warnings: [] });
  });
});
