/**
 * `npm run bench`: runs every suite in bench/suites.ts (or those named on the command line)
 * and prints each figure as a ratio to a baseline measured in the same run.
 */
import { formatRow } from './harness.js';
import { suites } from './suites.js';

const wanted = process.argv.slice(2);
for (const [name, load] of Object.entries(suites)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n## ${name}`);
  const { default: suite } = await load();
  for (const row of await suite()) console.log(formatRow(row));
}
