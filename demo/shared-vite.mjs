// Vite settings shared by demo/react and demo/vue: the demos import `metered-call` as an
// app would, resolved to this repository's npm build (dist/, from `npm run build`).
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

export const meteredCallAliases = [
  { find: /^metered-call\/define(\.js)?$/, replacement: `${dist}define.js` },
  { find: /^metered-call\/react$/, replacement: `${dist}react.js` },
  { find: /^metered-call\/vue$/, replacement: `${dist}vue.js` },
  { find: /^metered-call$/, replacement: `${dist}index.js` },
];
