// dist/metered-call.js: the one-file build for <script src> — Lit (production build),
// the SDK and the element in one minified IIFE that registers <metered-call> on load.
// (The npm build is plain `tsc -p tsconfig.build.json`: ES modules + .d.ts, unbundled.)
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { escapeNonAscii } from './scripts/escape-non-ascii.mjs';
import { mangleRegex } from './scripts/mangle-names.mjs';
import { transform } from 'esbuild';
import ts from 'typescript';

/**
 * Minifies our own `css` and `html` template literals (Lit keeps them verbatim). Only touches
 * src/ files, after TypeScript, and only literal text between `${}` holes.
 * - `css`: comments and runs of whitespace go, then esbuild's CSS minifier (shorter numbers
 *   and colours, merged rules).
 *   A literal with simple holes (a name: how the element's sheet composes the parts' sheets,
 *   always between rules) is minified whole with each hole marked by an at-rule, then the holes
 *   go back; a marker that does not come back fails the build.
 * - `html` and `svg` (found with the TypeScript parser, holes and nesting included): a run of
 *   whitespace with a line break becomes one space, which renders the same (no template text
 *   sits in a `pre` or `pre-wrap` box); without holes, whitespace between tags goes too.
 * Also escapes every non-ASCII character of src/ code: terser's ascii_only does the rest
 * of the bundle but leaves tagged templates alone (escaping changes their `raw`), and
 * Lit's css`` and html`` read the cooked strings, which stay the same.
 */
function minifyLitTemplates() {
  // (TypeScript emits `css \`…\``, with a space; a nested template ends the match early, which only
  // means less is squeezed)
  const css = /\bcss\s*`((?:[^`\\$]|\\.|\$(?!\{)|\$\{[\w.$]+\})*)`/gs;
  // (esbuild leaves custom property values as written: squeeze those first)
  const squeezeCss = text =>
    text.replace(/\/\*[^]*?\*\//g, '').replace(/\s*\n\s*/g, ' ').replace(/\s*([{}:;,>])\s*/g, '$1').replace(/;}/g, '}');
  const squeezeMarkup = (code, id) => {
    const edits = [];
    const visit = node => {
      if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && /^(html|svg)$/.test(node.tag.text)) {
        const t = node.template;
        if (ts.isNoSubstitutionTemplateLiteral(t)) {
          edits.push([t.getStart() + 1, t.end - 1, text => text.replace(/\s*\n\s*/g, ' ').replace(/>\s+</g, '><').trim()]);
        } else {
          // head `…${, middles }…${ and tail }…`: the text between the delimiters
          for (const part of [t.head, ...t.templateSpans.map(span => span.literal)]) {
            edits.push([part.getStart() + 1, part.end - (ts.isTemplateTail(part) ? 1 : 2), text => text.replace(/\s*\n\s*/g, ' ')]);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(id, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS));
    // right to left, so earlier offsets stay valid (nested templates sit inside holes, never inside text)
    for (const [start, end, squeeze] of edits.sort((a, b) => b[0] - a[0])) {
      code = code.slice(0, start) + squeeze(code.slice(start, end)) + code.slice(end);
    }
    return code;
  };
  const minifyCss = async (body, id) => {
    // (template text is raw: a backslash would mean one thing to JavaScript and another to CSS)
    if (body.includes('\\')) throw new Error(`${id}: a css\`\` literal with a backslash; minifyLitTemplates cannot take it`);
    const parts = body.split(/(\$\{[\w.$]+\})/);
    const marker = i => `@metered-call-hole-${i};`;
    const marked = parts.map((part, i) => (i % 2 ? marker(i) : squeezeCss(part))).join('');
    const out = (await transform(marked, { loader: 'css', minify: true, logLevel: 'silent', sourcefile: id })).code.trim();
    const pieces = out.split(/(@metered-call-hole-\d+;)/);
    const holes = pieces.filter((_, i) => i % 2);
    if (holes.join() !== parts.filter((_, i) => i % 2).map((_, k) => marker(2 * k + 1)).join()) {
      throw new Error(`${id}: the CSS minifier moved or dropped a \${} of a css\`\` literal`);
    }
    return pieces.map((piece, i) => (i % 2 ? parts[Number(/\d+/.exec(piece)[0])] : piece)).join('');
  };
  return {
    name: 'minify-lit-templates',
    async transform(code, id) {
      if (!id.includes('/src/')) return null;
      let out = squeezeMarkup(code, id);
      const sheets = await Promise.all([...out.matchAll(css)].map(m => minifyCss(m[1], id)));
      out = out.replace(css, () => `css\`${sheets.shift()}\``);
      return { code: escapeNonAscii(out, id), map: null };
    },
  };
}

/**
 * Lit reactive properties declared with `@property(…)` or `@state(…)` become one `static properties` object in
 * the bundle: TypeScript's legacy decorators emit a `__decorate([property(options)], C.prototype,
 * "name", void 0)` call per property (and pull in tslib's helper and Lit's decorator), while
 * `C.properties = { name: options }` makes Lit call the same `createProperty(name, options)` for
 * each when it finalizes the class (at `customElements.define`, before any instance exists).
 * Only that exact shape is rewritten; any other decorator stays as TypeScript wrote it. The npm
 * build (plain tsc) keeps the decorators.
 */
function decoratedPropertiesAsStatic() {
  const decoratedProperty = statement => {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return null;
    const { expression: callee, arguments: args } = statement.expression;
    if (!ts.isIdentifier(callee) || !/^__decorate(\$\d+)?$/.test(callee.text) || args.length !== 4) return null;
    const [decorators, target, name, descriptor] = args;
    const decorator = ts.isArrayLiteralExpression(decorators) && decorators.elements.length === 1 ? decorators.elements[0] : null;
    if (!decorator || !ts.isCallExpression(decorator) || !ts.isIdentifier(decorator.expression) ||
        !/^(property|state)$/.test(decorator.expression.text) || decorator.arguments.length > 1) return null;
    if (!ts.isPropertyAccessExpression(target) || target.name.text !== 'prototype' || !ts.isIdentifier(target.expression)) return null;
    if (!ts.isStringLiteral(name) || !ts.isVoidExpression(descriptor)) return null;
    return { statement, owner: target.expression.text, name: name.text, kind: decorator.expression.text, options: decorator.arguments[0] };
  };
  return {
    name: 'decorated-properties-as-static',
    transform(code, id) {
      if (!id.includes('/src/') || !code.includes('__decorate')) return null;
      const source = ts.createSourceFile(id, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
      const found = source.statements.map(decoratedProperty).filter(Boolean);
      if (!found.length) return null;
      const owners = new Set(found.map(f => f.owner));
      if (owners.size !== 1) throw new Error(`${id}: decorated properties of several classes; extend decoratedPropertiesAsStatic`);
      const [owner] = owners;
      if (new RegExp(`\\b${owner}\\.properties\\b|static\\s+(get\\s+)?properties\\b`).test(code)) {
        throw new Error(`${id}: ${owner} already has static properties; decoratedPropertiesAsStatic would replace them`);
      }
      // (Lit's `state(options)` is `property({ ...options, state: true, attribute: false })`)
      const optionsOf = f => {
        const given = f.options?.getText(source);
        if (f.kind === 'state') return `{ ${given ? `...${given}, ` : ''}state: true, attribute: false }`;
        return given ?? 'void 0';
      };
      const entries = found.map(f => `${JSON.stringify(f.name)}: ${optionsOf(f)}`);
      const last = found[found.length - 1].statement;
      let out = code.slice(0, last.getStart()) + `${owner}.properties = { ${entries.join(', ')} };` + code.slice(last.end);
      for (const f of found.slice(0, -1).reverse()) out = out.slice(0, f.statement.getStart()) + out.slice(f.statement.end);
      return { code: out, map: null };
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
    // the version from package.json, its one source (src/version.ts); after TypeScript,
    // which drops the placeholder's `declare`
    replace({
      preventAssignment: true,
      values: { __METERED_CALL_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
    }),
    minifyLitTemplates(),
    decoratedPropertiesAsStatic(),
    terser({
      ecma: 2022,
      module: false,
      // (a third pass still finds a little; more find nothing)
      compress: { passes: 3 },
      // members of our internal classes get short names (scripts/mangle-names.mjs says which are
      // safe: nothing public, decorated, read by name, or shared with the platform, Lit or the SDK)
      mangle: { properties: { regex: mangleRegex(), keep_quoted: true } },
      // pure ASCII (\u escapes): the file decodes the same whatever charset the page or server declares
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
