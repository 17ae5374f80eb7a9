/**
 * The unified diff a file change would make, for the permission prompt. `diff` is loaded on the
 * first preview only: most runs never ask, and start-up stays light.
 */
export async function unifiedDiff(rel: string, before: string | undefined, after: string): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${rel}`, `b/${rel}`, before ?? '', after, undefined, undefined, { context: 3 });
  // The first line is a row of "=" that says nothing.
  return patch.replace(/^=+\n/, '').replace(/\n$/, '');
}
