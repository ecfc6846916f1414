// Which property names terser may shorten in dist/metered-call.js: members of our own internal
// classes, found in src/ with the TypeScript parser. Terser renames a property by name everywhere
// in the bundle, so a name is kept as it is when anything else could read it:
//  - members of the public classes (the element, MeteredCallError) but their `private` ones, and
//    anything decorated (Lit reactive properties are read by name);
//  - any name that is also a key of an interface, type or object literal in src/ (data that
//    crosses a boundary: peer messages, event details, strings, options);
//  - any name that appears as text in src/ ('name', "name", `name`), read by name somewhere;
//  - any word of the platform (TypeScript's DOM and ES libraries), Lit or the SDK;
//  - names read from outside on the built element (the benchmark's report: RESERVED).
// The SDK's own `private` members (from its .d.ts) are shortened too, on the same terms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const PUBLIC_CLASSES = new Set(['MeteredCall', 'MeteredCallError']);
/** Read on the built element by bench/scenarios/mesh.ts (its in-page report). */
const RESERVED = ['session', 'sendQuality', 'counters', 'recoveryCounters'];
const SDK_CODE = 'node_modules/@metered-ca/realtime/dist/index.mjs';
const SDK_TYPES = 'node_modules/@metered-ca/realtime/dist/index.d.ts';
const FOREIGN_CODE = [
  SDK_CODE,
  'node_modules/lit-html',
  'node_modules/lit-element',
  'node_modules/@lit/reactive-element',
];

const filesUnder = (dir, test) =>
  readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, test) : test(path) ? [path] : [];
  });

const isPrivate = node => ts.getModifiers(node)?.some(m => m.kind === ts.SyntaxKind.PrivateKeyword) ?? false;

const words = text => text.match(/[A-Za-z_$][\w$]*/g) ?? [];

/** The words of the platform's type libraries and of the foreign code in the bundle (`but` left out). */
function foreignWords(but = '') {
  const lib = 'node_modules/typescript/lib';
  const files = [
    ...readdirSync(lib).filter(f => /^lib\..*\.d\.ts$/.test(f)).map(f => join(lib, f)),
    ...FOREIGN_CODE.filter(p => p !== but).flatMap(p => (p.endsWith('.mjs') ? [p] : filesUnder(p, f => f.endsWith('.js')))),
  ];
  return new Set(files.flatMap(f => words(readFileSync(f, 'utf8'))));
}

/**
 * The SDK's `private` members, from its declarations: safe to shorten when no public member of
 * any SDK class has the name and its code never spells it as text.
 */
function sdkPrivateNames() {
  const declarations = readFileSync(SDK_TYPES, 'utf8');
  const privateNames = new Set([...declarations.matchAll(/^\s+(?:private|protected) (?:readonly )?([A-Za-z_$][\w$]*)/gm)].map(m => m[1]));
  const publicMentions = declarations.replace(/^\s+(?:private|protected) .*$/gm, '');
  const asText = textWords(SDK_CODE);
  return [...privateNames].filter(name => !words(publicMentions).includes(name) && !asText.has(name));
}

const isText = node =>
  ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) ||
  ts.isTemplateMiddle(node) || ts.isTemplateTail(node);

/** Every word written inside a string or template text of a JavaScript file. */
function textWords(file) {
  const found = new Set();
  const visit = node => {
    if (isText(node)) for (const w of words(node.text)) found.add(w);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS));
  return found;
}

/** Property names of src/ split into those internal classes own and those that must keep their name. */
function sourceNames() {
  const members = new Set();
  const kept = new Set(RESERVED);
  for (const file of filesUnder('src', f => f.endsWith('.ts'))) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const visit = (node, className) => {
      if (ts.isClassLike(node)) className = node.name?.text ?? '';
      const name = node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) ? node.name.text : null;
      if (name && ts.isClassElement(node) && ts.isClassLike(node.parent)) {
        const decorated = (ts.canHaveDecorators(node) && ts.getDecorators(node)?.length) || 0;
        const exposed = PUBLIC_CLASSES.has(className) && !isPrivate(node);
        (exposed || decorated ? kept : members).add(name);
      } else if (name && ts.isParameter(node) && ts.getModifiers(node)?.length) {
        // a constructor parameter property (`private readonly x`) is a member too
        (PUBLIC_CLASSES.has(className) && !isPrivate(node) ? kept : members).add(name);
      } else if (name && (ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyAssignment(node) ||
                          ts.isShorthandPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) ||
                          ts.isSetAccessor(node) || ts.isEnumMember(node))) {
        kept.add(name);
      } else if (isText(node)) {
        for (const w of words(node.text)) kept.add(w);
      }
      ts.forEachChild(node, child => visit(child, className));
    };
    visit(source, '');
  }
  return { members, kept };
}

/** A terser `mangle.properties.regex` matching exactly the names safe to shorten. */
export function mangleableNames() {
  const { members, kept } = sourceNames();
  const foreign = foreignWords();
  const ours = [...members].filter(name => !kept.has(name) && !foreign.has(name));
  const notTheSdk = foreignWords(SDK_CODE);
  const sdk = sdkPrivateNames().filter(name => !kept.has(name) && !notTheSdk.has(name) && !members.has(name));
  return [...new Set([...ours, ...sdk])].filter(name => name.length > 2).sort();
}

export const mangleRegex = () => new RegExp(`^(?:${mangleableNames().join('|')})$`);
