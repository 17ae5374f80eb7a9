// Loaded with `node --import` by tests: records every module the process loads (ESM through a
// resolve hook, CommonJS through Module._load) into the file named by BATON_LOAD_LOG.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.BATON_LOAD_LOG;
if (log) {
  register('./load-log-hooks.mjs', import.meta.url);
  const load = Module._load;
  Module._load = function (request, ...rest) {
    appendFileSync(log, `cjs:${request}\n`);
    return load.call(this, request, ...rest);
  };
}
