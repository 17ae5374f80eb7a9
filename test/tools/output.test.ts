import { describe, expect, it } from 'vitest';
import { capOutput, HeadTailBuffer } from '../../src/tools/output.js';

describe('capOutput', () => {
  it('returns short text unchanged', () => {
    expect(capOutput('hello', 10)).toBe('hello');
  });

  it('keeps the head and the tail around a marker naming what was left out', () => {
    const text = `HEAD${'x'.repeat(1000)}TAIL`;
    const capped = capOutput(text, 100);
    expect(capped.startsWith('HEADxxx')).toBe(true);
    expect(capped.endsWith('xxxTAIL')).toBe(true);
    expect(capped).toContain('\n[… 908 chars omitted …]\n');
    expect(capped.replace(/\n\[… \d+ chars omitted …\]\n/, '')).toHaveLength(100);
  });

  it('defaults to about 30k characters', () => {
    expect(capOutput('y'.repeat(100_000)).length).toBeLessThan(30_100);
  });
});

describe('HeadTailBuffer', () => {
  it('keeps everything while small and both ends when large', () => {
    const small = new HeadTailBuffer(10);
    small.push('abc');
    small.push('def');
    expect(small.text()).toBe('abcdef');
    const big = new HeadTailBuffer(5);
    for (const chunk of ['01234', '56789', 'abcde', 'fghij', 'klmno']) big.push(chunk);
    expect(big.text()).toBe('01234\n[… 15 chars omitted …]\nklmno');
  });
});
