#!/usr/bin/env node
// Writes the API reference (docs/api.md) for <metered-call> from custom-elements.json, between
// `<!-- api:start -->` and `<!-- api:end -->`, and the error-code table from src/errors.ts
// between `<!-- errors:start -->` and `<!-- errors:end -->`. Never edit them by hand.
//   node --import tsx scripts/api-tables.mjs          rewrite docs/api.md
//   node --import tsx scripts/api-tables.mjs --check  exit 1 when docs/api.md is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The page that holds the generated tables, from the repository root. */
export const API_PAGE = 'docs/api.md';
export const START = '<!-- api:start -->';
export const END = '<!-- api:end -->';
export const ERRORS_START = '<!-- errors:start -->';
export const ERRORS_END = '<!-- errors:end -->';

// one line, pipes escaped, and `<tag>` outside code spans escaped so Markdown shows it
const cell = text =>
  String(text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .split('`')
    .map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;')))
    .join('`')
    .trim();
const code = text => (text ? `\`${String(text).replace(/`/g, "'")}\`` : '');
const table = (head, rows) =>
  rows.length === 0
    ? '_None._\n'
    : [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(r => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';

/** The element's declaration in the manifest. */
export function elementOf(manifest, tag = 'metered-call') {
  for (const mod of manifest.modules ?? []) {
    for (const decl of mod.declarations ?? []) if (decl.tagName === tag) return decl;
  }
  throw new Error(`custom-elements.json has no <${tag}>`);
}

/** Markdown for everything between the markers. */
export function renderTables(manifest) {
  const el = elementOf(manifest);
  const publicMembers = (el.members ?? []).filter(m => !m.privacy || m.privacy === 'public');
  const attrFields = new Set((el.attributes ?? []).map(a => a.fieldName).filter(Boolean));
  const fields = publicMembers.filter(m => m.kind === 'field' && !attrFields.has(m.name));
  const methods = publicMembers.filter(m => m.kind === 'method');
  const signature = m => `${m.static ? 'static ' : ''}${m.name}(${(m.parameters ?? []).map(p => `${p.name}${p.optional || p.default ? '?' : ''}`).join(', ')})`;
  const detail = t => (t ?? '').replace(/^CustomEvent<(.*)>$/, '$1');

  return [
    `_Generated from \`custom-elements.json\` by \`scripts/api-tables.mjs\`; do not edit by hand._`,
    '',
    `**\`<${el.tagName}>\`** — ${cell(el.summary)}`,
    '',
    '#### Attributes',
    '',
    table(
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      (el.attributes ?? []).map(a => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), a.description]),
    ),
    '#### Properties',
    '',
    table(
      ['Property', 'Type', 'Description'],
      fields.map(f => [
        `${code(f.static ? `${el.name}.${f.name}` : f.name)}${f.readonly && !/^\(read-only\)/.test(f.description ?? '') ? ' (read-only)' : ''}`,
        code(f.type?.text),
        f.description,
      ]),
    ),
    '#### Methods',
    '',
    table(['Method', 'Returns', 'Description'], methods.map(m => [code(signature(m)), code(m.return?.type?.text), m.description])),
    '#### Events',
    '',
    table(['Event', 'Detail', 'Description'], (el.events ?? []).map(e => [code(e.name), code(detail(e.type?.text)), e.description])),
    '#### CSS parts',
    '',
    table(['Part', 'Description'], (el.cssParts ?? []).map(p => [code(p.name), p.description])),
    '#### CSS custom properties',
    '',
    table(['Property', 'Default', 'Description'], (el.cssProperties ?? []).map(p => [code(p.name), code(p.default), p.description])),
  ].join('\n');
}

/** The error-code table from the `ERRORS` catalogue of src/errors.ts. */
export function renderErrors(errors) {
  const hint = info => info.hint({ origin: 'https://your.site', room: 'team-standup', detail: '…' });
  return table(
    ['Code', 'Ends the call', 'Shown to the viewer', 'Told to the site owner (example)'],
    Object.entries(errors).map(([code, info]) => [code ? `\`${code}\`` : '', info.fatal ? 'yes' : 'no (notice)', info.viewer, hint(info)]),
  );
}

/** `readme` with the block between `start` and `end` replaced. */
export function withBlock(readme, block, start = START, end = END) {
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${API_PAGE} lacks the ${start} … ${end} markers`);
  return `${readme.slice(0, i + start.length)}\n${block}\n${readme.slice(j)}`;
}

/** The API page as the manifest and the error catalogue say it should be. */
export function expectedApiPage(page, manifest, errors) {
  return withBlock(withBlock(page, renderTables(manifest)), renderErrors(errors), ERRORS_START, ERRORS_END);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('..', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('custom-elements.json', root), 'utf8'));
  const pagePath = new URL(API_PAGE, root);
  const page = readFileSync(pagePath, 'utf8');
  const { ERRORS } = await import('../src/errors.ts');
  const next = expectedApiPage(page, manifest, ERRORS);
  if (process.argv.includes('--check')) {
    if (next !== page) {
      console.error(`${API_PAGE}: API tables are out of date: run \`npm run docs\`.`);
      process.exit(1);
    }
  } else if (next !== page) {
    writeFileSync(pagePath, next);
    console.log(`${API_PAGE}: API tables updated`);
  }
}
