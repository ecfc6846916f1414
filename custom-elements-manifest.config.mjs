// custom-elements.json from the element's JSDoc (`npm run analyze`); docs/api.md's API
// tables are generated from it by scripts/api-tables.mjs, and the editors' data from it by
// the two plugins at the end: VS Code custom data and JetBrains web-types, written to dist/
// and shipped in the package (package.json's "web-types" field points JetBrains IDEs at theirs).
import { readdirSync, readFileSync } from 'node:fs';
import { customElementJetBrainsPlugin } from 'custom-element-jet-brains-integration';
import { customElementVsCodePlugin } from 'custom-element-vs-code-integration';

const HIDDEN = new Set(['addEventListener', 'removeEventListener']);
export const EDITOR_DATA = {
  outdir: 'dist',
  vsCodeHtml: 'vscode.html-custom-data.json',
  vsCodeCss: 'vscode.css-custom-data.json',
  webTypes: 'web-types.json',
};
// the manifest names sources (src/x.ts); the package ships dist/x.js
const shipped = path => path.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');

/** `NAME → value` of every `export const NAME = <number or string literal>;` under src/ (defaults named by constant). */
function exportedConstants() {
  const values = new Map();
  for (const file of readdirSync('src', { recursive: true })) {
    if (!String(file).endsWith('.ts')) continue;
    const text = readFileSync(`src/${file}`, 'utf8');
    for (const [, name, value] of text.matchAll(/^export const ([A-Z][A-Z0-9_]*)(?:: \w+)? = (\d+|'[^']*');$/gm)) values.set(name, value);
  }
  return values;
}

export default {
  globs: ['src/metered-call-element.ts', 'src/define.ts'],
  outdir: '.',
  litelement: true,
  dev: false,
  packagejson: false, // package.json's customElements field is set once, by hand (npm pkg set)
  plugins: [
    {
      name: 'metered-call:public-api-only',
      // typed listener overloads are TypeScript sugar, not API to document
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            if (decl.members) decl.members = decl.members.filter(m => !HIDDEN.has(m.name));
          }
        }
      },
    },
    {
      name: 'metered-call:constant-defaults',
      // a default written as a constant (`= DEFAULT_MAX_PEERS`) is documented as its value
      packageLinkPhase({ customElementsManifest }) {
        const constants = exportedConstants();
        for (const mod of customElementsManifest.modules) {
          for (const decl of mod.declarations ?? []) {
            for (const item of [...(decl.members ?? []), ...(decl.attributes ?? [])]) {
              if (constants.has(item.default)) item.default = constants.get(item.default);
            }
          }
        }
      },
    },
    customElementVsCodePlugin({
      outdir: EDITOR_DATA.outdir,
      htmlFileName: EDITOR_DATA.vsCodeHtml,
      cssFileName: EDITOR_DATA.vsCodeCss,
      descriptionSrc: 'description',
      hideLogs: true,
    }),
    customElementJetBrainsPlugin({
      outdir: EDITOR_DATA.outdir,
      webTypesFileName: EDITOR_DATA.webTypes,
      descriptionSrc: 'description',
      packageJson: false, // the "web-types" field is set once, by hand
      modulePathTemplate: (_name, modulePath) => shipped(modulePath),
      hideLogs: true,
    }),
  ],
};
