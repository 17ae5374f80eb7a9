import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (process.env.BATON_LOAD_LOG) appendFileSync(process.env.BATON_LOAD_LOG, `esm:${resolved.url}\n`);
  return resolved;
}
