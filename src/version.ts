// The version has one source, package.json: the builds write it in place of
// __METERED_CALL_VERSION__ (rollup through @rollup/plugin-replace for dist/metered-call.js,
// scripts/inject-version.mjs after tsc for the npm build). Sources run unbuilt (tests, dev
// servers) say '0.0.0-dev'.
declare const __METERED_CALL_VERSION__: string | undefined;

/** The package version, for `MeteredCall.version` and the double-registration warning. */
export const VERSION: string = typeof __METERED_CALL_VERSION__ === 'string' ? __METERED_CALL_VERSION__ : '0.0.0-dev';
