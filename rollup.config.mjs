// dist/metered-call.js: the one-file build for <script src> — Lit (production build),
// the SDK and the element in one minified IIFE that registers <metered-call> on load.
// (The npm build is plain `tsc -p tsconfig.build.json`: ES modules + .d.ts, unbundled.)
import { readdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { transform } from 'esbuild';

/**
 * Minifies our own `css` and `html` template literals (Lit keeps them verbatim):
 * comments and indentation go, runs of whitespace become one space. Only touches
 * src/ files, after TypeScript, and only literal text between `${}` holes.
 */
function minifyLitTemplates() {
  // (TypeScript emits `css \`…\``, with a space; a nested template ends the match early, which only
  // means less is squeezed)
  const literal = /\b(css|html)\s*`((?:[^`\\$]|\\.|\$(?!\{))*)`/gs;
  const squeeze = (kind, text) => {
    let out = text.replace(/\s*\n\s*/g, ' ');
    if (kind === 'css') {
      out = out.replace(/\/\*[^]*?\*\//g, '').replace(/\s*([{}:;,>])\s*/g, '$1').replace(/;}/g, '}');
    } else {
      out = out.replace(/>\s+</g, '><');
    }
    return out.trim();
  };
  return {
    name: 'minify-lit-templates',
    transform(code, id) {
      if (!id.includes('/src/')) return null;
      return { code: code.replace(literal, (_, kind, body) => `${kind}\`${squeeze(kind, body)}\``), map: null };
    },
  };
}

const bundle = {
  input: 'src/cdn.ts',
  output: {
    file: 'dist/metered-call.js',
    format: 'iife',
    sourcemap: true,
    // no global but the one cdn.ts sets on purpose (globalThis.MeteredCall)
  },
  plugins: [
    // default export conditions pick Lit's production build (no dev-mode warnings)
    resolve({ browser: true }),
    typescript({
      tsconfig: 'tsconfig.build.json',
      declaration: false,
      declarationMap: false,
      outDir: 'dist',
      sourceMap: true,
      inlineSources: true,
    }),
    minifyLitTemplates(),
    terser({
      ecma: 2022,
      module: false,
      compress: { passes: 2 },
      format: { comments: false, ascii_only: true },
    }),
  ],
  onwarn(warning, warn) {
    // the SDK's bundle uses `this` at module level in a TS helper; harmless in an IIFE
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};

// ---------------------------------------------------------------- languages
// Each src/i18n/<lang>.ts but English (built in) -> dist/i18n/<lang>.js: one small classic script,
// for <script src> after dist/metered-call.js (or before it, or with a module-script bundle) and for
// `import 'metered-call/i18n/<lang>'` alike, since it registers through the page-wide registry
// (src/i18n/registry.ts) rather than an import of the element. ASCII-only (\u escapes), so
// Japanese, Chinese and Arabic survive a page served in any encoding. Types are only stripped
// here (esbuild): `npm run typecheck` checks these files, and tsconfig.build.json leaves them out.
const LANGUAGES = readdirSync('src/i18n')
  .map(file => /^([a-z]{2,3}(?:-[a-z0-9]+)*)\.ts$/i.exec(file)?.[1])
  .filter(lang => lang && lang !== 'en');

function stripTypes() {
  return {
    name: 'strip-types',
    resolveId: (source, importer) =>
      importer && source.startsWith('.') ? resolvePath(dirname(importer), source.replace(/\.js$/, '.ts')) : null,
    async transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = await transform(code, { loader: 'ts', target: 'es2022', charset: 'ascii', sourcemap: true, sourcefile: id });
      return { code: out.code, map: out.map };
    },
  };
}

/** `import 'metered-call/i18n/<lang>'` type-checks: a side-effect-only module. */
const sideEffectTypes = lang => ({
  name: 'language-types',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: `${lang}.d.ts`, source: `// Registers the '${lang}' strings of <metered-call>.\nexport {};\n` });
  },
});

const languages = LANGUAGES.map(lang => ({
  input: `src/i18n/${lang}.ts`,
  output: { dir: 'dist/i18n', entryFileNames: `${lang}.js`, format: 'iife', sourcemap: true },
  plugins: [
    stripTypes(),
    sideEffectTypes(lang),
    terser({ ecma: 2022, module: false, compress: { passes: 2 }, format: { comments: false, ascii_only: true } }),
  ],
}));

export default [bundle, ...languages];
