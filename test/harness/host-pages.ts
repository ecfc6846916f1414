// Koa middleware for the host-page matrix (test/host-pages.test.ts): serves
// test/fixtures/host-pages/*, dist/metered-call.js and dist/i18n/fr.js under /host-pages/ with the headers
// a legacy host sends — each page's own charset (windows-1252, iso-8859-1, Shift_JIS) or
// none, and the script as `application/javascript` with no charset, so the browser decodes
// it with the page's encoding. The bytes go out untouched: it answers before the dev
// server's plugins, which would read the files as UTF-8.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Middleware } from '@web/dev-server-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PREFIX = '/host-pages/';

/** Content-Type per file, as the legacy server of each page would send it. */
const TYPES: Record<string, string> = {
  'windows-1252-quirks.html': 'text/html; charset=windows-1252',
  'iso-8859-1-limited-quirks.html': 'text/html; charset=iso-8859-1',
  'shift-jis.html': 'text/html; charset=Shift_JIS',
  // the others: an Apache default, no charset (the browser falls back to windows-1252)
};

export function hostPagesMiddleware(): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith(PREFIX)) return next();
    const name = ctx.path.slice(PREFIX.length);
    if (!/^[a-z0-9-]+\.(html|js)$/.test(name)) return next();
    // the bundle, and the optional French file a French site adds after it (dist/i18n/fr.js)
    const file =
      name === 'metered-call.js' ? `${ROOT}dist/metered-call.js` : name === 'fr.js' ? `${ROOT}dist/i18n/fr.js` : `${ROOT}test/fixtures/host-pages/${name}`;
    try {
      ctx.body = await readFile(file);
    } catch {
      return next();
    }
    // set after the body: koa would otherwise pick a type (with a charset) of its own
    ctx.set('Content-Type', name.endsWith('.js') ? 'application/javascript' : (TYPES[name] ?? 'text/html'));
    ctx.set('Cache-Control', 'no-store');
  };
}
