// custom-elements.json from the element's JSDoc (`npm run analyze`); the README's API
// tables are generated from it by scripts/api-tables.mjs.
const HIDDEN = new Set(['addEventListener', 'removeEventListener']);

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
  ],
};
