/**
 * Diffs are coloured from the theme: added lines green, removed red, hunk headers cyan, in the
 * approval prompt and in the transcript's fold; NO_COLOR drops the colours. chalk decides its
 * colour level when it loads, so this file forces colour first and loads ink after.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const CYAN = '\x1b[36m';
const diff = ['--- a/src/greet.js', '+++ b/src/greet.js', '@@ -1 +1 @@', '-export const greet = () => "hello";', '+export const greet = () => "hi";'].join(
  '\n',
);

type Lib = typeof import('ink-testing-library');
let lib: Lib;
let PermissionPrompt: typeof import('../../src/cli/ui/PermissionPrompt.js').PermissionPrompt;
let Transcript: typeof import('../../src/cli/ui/Transcript.js').Transcript;

beforeAll(async () => {
  vi.stubEnv('FORCE_COLOR', '1');
  vi.stubEnv('NO_COLOR', undefined);
  lib = await import('ink-testing-library');
  ({ PermissionPrompt } = await import('../../src/cli/ui/PermissionPrompt.js'));
  ({ Transcript } = await import('../../src/cli/ui/Transcript.js'));
});

afterAll(() => {
  lib.cleanup();
  vi.unstubAllEnvs();
});

const approval = () =>
  lib
    .render(
      <PermissionPrompt
        req={{ runId: 'r1', toolCallId: 'tu1', tool: 'edit_file', title: 'edit src/greet.js', preview: diff, rule: 'edit_file' }}
        onAnswer={() => {}}
      />,
    )
    .lastFrame()!;

describe('diff colours', () => {
  it('the approval shows + green, - red, @@ cyan', () => {
    const frame = approval();
    expect(frame).toContain(`${GREEN}+export const greet = () => "hi";`);
    expect(frame).toContain(`${RED}-export const greet = () => "hello";`);
    expect(frame).toContain(`${CYAN}@@ -1 +1 @@`);
    // File headers are not additions or removals.
    expect(frame).not.toContain(`${GREEN}+++ b/src/greet.js`);
    expect(frame).not.toContain(`${RED}--- a/src/greet.js`);
  });

  it("the transcript's folded diff is coloured the same way", () => {
    const items = [
      {
        id: 1,
        kind: 'tool' as const,
        name: 'edit_file',
        detail: 'src/greet.js',
        summary: '+1 -1',
        isError: false,
        diff: { lines: ['-old line', '+new line'], more: 0 },
      },
    ];
    const frame = lib.render(<Transcript items={items} epoch={0} width={80} />).lastFrame()!;
    expect(frame).toMatch(/\x1b\[31m\s*-old line/);
    expect(frame).toMatch(/\x1b\[32m\s*\+new line/);
  });

  it('NO_COLOR leaves the diff plain', () => {
    vi.stubEnv('NO_COLOR', '1');
    try {
      const frame = approval();
      expect(frame).toContain('+export const greet = () => "hi";');
      for (const c of [GREEN, RED, CYAN]) expect(frame).not.toContain(c);
    } finally {
      vi.stubEnv('NO_COLOR', undefined);
    }
  });
});
