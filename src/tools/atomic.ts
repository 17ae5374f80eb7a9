import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isMissing } from './define.js';

/**
 * Writes through a temp file in the same directory and renames it over the target, so an
 * interrupted write never leaves a half-written file; an existing file keeps its mode.
 */
export async function writeFileAtomic(abs: string, content: string): Promise<void> {
  let mode: number | undefined;
  try {
    mode = (await stat(abs)).mode & 0o7777;
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  const tmp = join(dirname(abs), `.${basename(abs)}.baton-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(tmp, 'wx', mode ?? 0o666);
    try {
      await file.writeFile(content, 'utf8');
      if (mode !== undefined) await file.chmod(mode); // open() applied the umask
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, abs);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
