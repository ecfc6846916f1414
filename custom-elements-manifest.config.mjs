// custom-elements.json from the element's JSDoc (`npm run analyze`); the README's API
// tables are generated from it by scripts/api-tables.mjs, and the editors' data from it by
// the two plugins at the end: VS Code custom data and JetBrains web-types, written to dist/
// and shipped in the package (package.json's "web-types" field points JetBrains IDEs at theirs).
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
