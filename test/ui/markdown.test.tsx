/**
 * The markdown renderer: marked's tokens laid out as styled lines, drawn by ink (Markdown,
 * StyledLines) and as ANSI text (print mode on a terminal).
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { linesToAnsi } from '../../src/cli/render/ansi.js';
import { loadMarkdown, type MarkdownRenderer } from '../../src/cli/render/load.js';
import { fitColumns } from '../../src/cli/render/markdown.js';
import { displayWidth, lineText, wrap, type Line } from '../../src/cli/render/styled.js';
import { Markdown } from '../../src/cli/ui/Markdown.js';

let md: MarkdownRenderer;
beforeAll(async () => {
  md = await loadMarkdown();
});
afterEach(() => {
  cleanup();
  vi.unstubAllEnvs();
});

const SAMPLE = `# Overview

This changes **one file** and keeps *the rest*; see \`greet.js\` and [the docs](https://example.com/docs) or ~~nothing~~ &amp; more.

## Steps

1. Read the code
2. Change it
   - nested point
   - another one
3. Test it

- [x] done item
- [ ] open item

> A quoted remark
> over two lines

| file | lines | why |
|:-----|------:|:---:|
| greet.js | 3 | the greeting |
| test.js | 12 | checks it |

---

\`\`\`js
const greet = () => "hi"; // short
\`\`\`
`;

const plain = (lines: Line[]) => lines.map(lineText).join('\n');
const styleOf = (lines: Line[], text: string) => lines.flat().find((s) => s.text.includes(text))?.style;

describe('renderMarkdown (styled lines)', () => {
  it('renders every element without its markers', () => {
    const lines = md.render(SAMPLE, 80, true);
    const out = plain(lines);
    for (const raw of ['# ', '**', '`', '~~', '```', '&amp;', '|:--', '- [x]', '> A']) expect(out, raw).not.toContain(raw);
    expect(out).toContain('Overview');
    expect(styleOf(lines, 'Overview')).toMatchObject({ bold: true, underline: true });
    expect(styleOf(lines, 'Steps')).toMatchObject({ bold: true });
    expect(styleOf(lines, 'one file')).toMatchObject({ bold: true });
    expect(styleOf(lines, 'the rest')).toMatchObject({ italic: true });
    expect(styleOf(lines, 'greet.js')).toMatchObject({ color: 'yellow' });
    expect(styleOf(lines, 'nothing')).toMatchObject({ strike: true });
    expect(out).toContain('& more');
    // a link keeps its URL
    expect(out.replace(/\s+/g, ' ')).toContain('the docs (https://example.com/docs)');
    expect(styleOf(lines, 'the docs')).toMatchObject({ underline: true });
    // ordered, nested and task lists
    expect(out).toMatch(/^1\. Read the code$/m);
    expect(out).toMatch(/^3\. Test it$/m);
    expect(out).toMatch(/^ {3}◦ nested point$/m);
    expect(out).toMatch(/^☑ done item$/m);
    expect(out).toMatch(/^☐ open item$/m);
    // a quote, with its bar
    expect(out).toMatch(/^│ A quoted remark$/m);
    // a table with borders, header bold, right-aligned numbers
    expect(out).toMatch(/^┌─+┬─+┬─+┐$/m);
    expect(out).toMatch(/^│ greet\.js │ +3 │ the greeting │$/m);
    expect(styleOf(lines, 'file')).toMatchObject({ bold: true });
    // a rule
    expect(out).toMatch(/^─{20,}$/m);
    // a highlighted code block, indented, its language named
    expect(out).toMatch(/^ {2}const greet = \(\) => "hi"; \/\/ short$/m);
    expect(styleOf(lines, 'const')).toMatchObject({ color: 'magenta' });
    expect(styleOf(lines, '// short')).toMatchObject({ dim: true });
  });

  it('fits the width: paragraphs wrap, tables shrink, code is cut, nothing is wider', () => {
    const long = `${'word '.repeat(40)}\n\n| a | b |\n|---|---|\n| ${'long cell text '.repeat(8)}| x |\n\n\`\`\`\n${'x'.repeat(120)}\n\`\`\`\n`;
    for (const width of [80, 40]) {
      const lines = md.render(long, width, false);
      for (const line of lines) expect(displayWidth(lineText(line)), lineText(line)).toBeLessThanOrEqual(width);
      expect(lines.length).toBeGreaterThan(6);
    }
    expect(plain(md.render(long, 40, false))).toContain('│ long cell text');
  });

  it('shows a table too narrow for its columns as one record per row', () => {
    const table = `| ${Array.from({ length: 12 }, (_, i) => `h${i}`).join(' | ')} |\n|${'---|'.repeat(12)}\n| ${Array.from({ length: 12 }, (_, i) => `v${i}`).join(' | ')} |\n`;
    const out = plain(md.render(table, 30, false));
    expect(out).toContain('h0: v0');
    expect(out).toContain('h11: v11');
  });

  it('uses no colour under NO_COLOR (bold, italic, dim stay)', () => {
    const lines = md.render(SAMPLE, 80, false);
    expect(lines.flat().every((s) => s.style?.color === undefined)).toBe(true);
    expect(styleOf(lines, 'one file')).toMatchObject({ bold: true });
  });

  it('keeps the blank line a block ended with, so the next block starts after a gap', () => {
    expect(md.render('para\n\n', 80, false).map(lineText)).toEqual(['para', '']);
    expect(md.render('para', 80, false).map(lineText)).toEqual(['para']);
  });

  it('shrinks the widest columns first', () => {
    expect(fitColumns([10, 50, 5], 40)).toEqual([10, 25, 5]);
    expect(fitColumns([10, 10], 30)).toEqual([10, 10]);
    expect(fitColumns([10, 10, 10], 6)).toBeUndefined();
  });
});

describe('wrap', () => {
  it('wraps at spaces, keeps styles, cuts words longer than a line, counts wide characters twice', () => {
    const lines = wrap([{ text: 'alpha beta ' }, { text: 'gamma', style: { bold: true } }, { text: ' delta' }], 11);
    expect(lines.map(lineText)).toEqual(['alpha beta', 'gamma delta']);
    expect(lines[1]![0]).toEqual({ text: 'gamma', style: { bold: true } });
    expect(wrap([{ text: 'abcdefghij' }], 4).map(lineText)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap([{ text: '漢字漢字' }], 4).map(lineText)).toEqual(['漢字', '漢字']);
  });
});

describe('ink renderer', () => {
  it('draws the styled lines with no raw markdown and no line wider than the terminal', () => {
    const { lastFrame } = render(<Markdown text={SAMPLE} width={60} />);
    const frame = lastFrame()!;
    for (const raw of ['## ', '**', '```', '- [ ]']) expect(frame).not.toContain(raw);
    expect(frame).toContain('Overview');
    expect(frame).toContain('│ greet.js │');
    for (const line of frame.split('\n')) expect(displayWidth(line.replace(/\x1b\[[\d;]*m/g, ''))).toBeLessThanOrEqual(60);
  });
});

describe('ANSI renderer', () => {
  it('writes SGR codes per styled piece and resets after each', () => {
    const ansi = linesToAnsi(md.render('# Title\n\nsome **bold** text\n', 80, true));
    expect(ansi).toContain('\x1b[1;4;36mTitle\x1b[0m');
    expect(ansi).toContain('\x1b[1mbold\x1b[0m');
    expect(ansi).not.toContain('**');
    expect(ansi).not.toContain('#');
  });

  it('writes no colour codes with colours off, only attributes', () => {
    const ansi = linesToAnsi(md.render(SAMPLE, 80, false));
    const codes = ansi.match(/\x1b\[[\d;]*m/g) ?? [];
    expect(codes.length).toBeGreaterThan(0);
    for (const sgr of codes)
      expect(
        sgr
          .slice(2, -1)
          .split(';')
          .filter((p) => /^(3[0-8]|9\d)$/.test(p)),
      ).toEqual([]);
  });
});
