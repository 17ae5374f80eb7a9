/**
 * The session imports ink with the global fetch hidden (so yoga decodes its WebAssembly itself
 * instead of loading undici for a data: URL) and CI hidden (so ink reads keys live): both must be
 * back as they were once ink is loaded, for the engine's tools and the telemetry exporters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { importInk } from '../../src/cli/interactive.js';

const savedCi = process.env.CI;

afterEach(() => {
  if (savedCi === undefined) delete process.env.CI;
  else process.env.CI = savedCi;
});

describe('importing ink for the session', () => {
  it('loads ink, react and the App, and leaves the global fetch and CI as they were', async () => {
    const fetchBefore = globalThis.fetch;
    process.env.CI = 'true';
    const [ink, react, app] = await importInk();
    expect(typeof ink.render).toBe('function');
    expect(typeof react.default.createElement).toBe('function');
    expect(typeof app.App).toBe('function');
    expect(globalThis.fetch).toBe(fetchBefore);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')?.configurable).toBe(true);
    expect(process.env.CI).toBe('true');
  });
});
