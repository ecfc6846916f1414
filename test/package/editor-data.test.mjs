// Editor support: the VS Code custom data and the JetBrains web-types that `npm run analyze`
// generates from custom-elements.json must ship in the package, be referenced from package.json
// (JetBrains reads "web-types"; VS Code users point html.customData / css.customData at the
// files, see docs/editors.md) and describe every attribute, event, part and custom property.
// Run with `npm run test:package` (builds first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EDITOR_DATA } from '../../custom-elements-manifest.config.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const readJson = rel => JSON.parse(readFileSync(join(ROOT, rel), 'utf8'));
const pkg = readJson('package.json');
const manifest = readJson('custom-elements.json');
const element = manifest.modules.flatMap(m => m.declarations ?? []).find(d => d.tagName === 'metered-call');
const files = {
  html: `${EDITOR_DATA.outdir}/${EDITOR_DATA.vsCodeHtml}`,
  css: `${EDITOR_DATA.outdir}/${EDITOR_DATA.vsCodeCss}`,
  webTypes: `${EDITOR_DATA.outdir}/${EDITOR_DATA.webTypes}`,
};
/** name → description, for comparing lists; every entry of the manifest has a description. */
const described = list => Object.fromEntries(list.map(x => [x.name, x.description]));
const manifestAttributes = described(element.attributes);

test('the manifest describes every attribute (the editors show these texts)', () => {
  assert.ok(element.attributes.length > 10);
  for (const [name, text] of Object.entries(manifestAttributes)) assert.ok(text?.trim(), `attribute ${name} has no description`);
});

test('the editor data ships in the package and package.json points JetBrains IDEs at web-types', () => {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT, encoding: 'utf8' }));
  const packed = info.files.map(f => f.path);
  for (const file of Object.values(files)) assert.ok(packed.includes(file), `${file} is not in the tarball`);
  assert.equal(pkg['web-types'], `./${files.webTypes}`);
});

test('VS Code custom data lists every attribute with its description, every part and custom property', () => {
  const html = readJson(files.html);
  const tags = html.tags.filter(t => t.name === 'metered-call');
  assert.equal(tags.length, 1);
  assert.deepEqual(described(tags[0].attributes), manifestAttributes);
  assert.match(tags[0].description, /multi-party video call/);
  const css = readJson(files.css);
  const properties = css.properties.map(p => p.name);
  for (const p of element.cssProperties) assert.ok(properties.includes(p.name), `${p.name} missing from ${files.css}`);
  const parts = css.pseudoElements.map(p => p.name);
  for (const p of element.cssParts) assert.ok(parts.includes(`::part(${p.name})`), `::part(${p.name}) missing from ${files.css}`);
});

test('JetBrains web-types list every attribute with its description, every event, property and part, at the package version', () => {
  const webTypes = readJson(files.webTypes);
  assert.equal(webTypes.name, pkg.name);
  assert.equal(webTypes.version, pkg.version);
  const elements = webTypes.contributions.html.elements.filter(e => e.name === 'metered-call');
  assert.equal(elements.length, 1);
  const [el] = elements;
  assert.deepEqual(described(el.attributes), manifestAttributes);
  assert.deepEqual(el.events.map(e => e.name).sort(), element.events.map(e => e.name).sort());
  for (const e of el.events) assert.ok(e.description?.trim(), `event ${e.name} has no description`);
  const jsProperties = el.js.properties.map(p => p.name);
  for (const a of element.attributes.filter(a => a.fieldName)) assert.ok(jsProperties.includes(a.fieldName), `property ${a.fieldName} missing`);
  const css = webTypes.contributions.css;
  const parts = css['pseudo-elements'].map(p => p.name);
  for (const p of element.cssParts) assert.ok(parts.includes(`part(${p.name})`), `part(${p.name}) missing from ${files.webTypes}`);
  const properties = css.properties.map(p => p.name);
  for (const p of element.cssProperties) assert.ok(properties.includes(p.name), `${p.name} missing from ${files.webTypes}`);
});
