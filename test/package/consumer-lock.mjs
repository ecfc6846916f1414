// A lockfile for the package test's consumer app, derived from the project's own
// package-lock.json: the same versions and integrity hashes that `npm ci` installed, so
// `npm ci --offline` in the consumer takes every tarball from the npm cache by its
// integrity, with no registry documents (which `npm ci` never fetches, so a fresh
// machine's cache has none — `npm install --offline` failed there).
import { execFileSync } from 'node:child_process';

/** Where a package at `from` finds `name`, by Node's lookup: nested first, then each parent. */
function locate(packages, from, name) {
  for (let dir = from; ; ) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut === -1 ? '' : dir.slice(0, cut);
  }
}

/** The registry's tarball address for an entry (lockfiles written here carry no `resolved`). */
function tarballUrl(registry, path, version) {
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const base = name.startsWith('@') ? name.split('/')[1] : name;
  return `${registry.replace(/\/?$/, '/')}${name}/-/${base}-${version}.tgz`;
}

/**
 * @param {object} projectLock the project's package-lock.json
 * @param {{ name: string, dependencies: Record<string, string> }} consumer the consumer's package.json
 * @param {{ name: string, version: string, dependencies: Record<string, string>, tarball: string }} pkg
 *   the package under test, installed from its `npm pack` tarball (a `file:` path relative to the app)
 */
export function consumerLock(projectLock, consumer, pkg) {
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
  const from = projectLock.packages;
  const packages = {
    '': { name: consumer.name, dependencies: consumer.dependencies },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: pkg.tarball, dependencies: pkg.dependencies },
  };
  const queue = [
    ...Object.keys(pkg.dependencies).map(name => ({ name, parent: `node_modules/${pkg.name}` })),
    ...Object.keys(consumer.dependencies).filter(n => n !== pkg.name).map(name => ({ name, parent: '' })),
  ];
  while (queue.length) {
    const { name, parent } = queue.shift();
    // the package under test is not in the project's lock: its dependencies resolve from the top
    const path = locate(from, parent.startsWith(`node_modules/${pkg.name}`) ? '' : parent, name);
    if (!path) throw new Error(`package-lock.json has no ${name} (needed by ${parent || 'the consumer'})`);
    if (packages[path]) continue;
    const { dev, devOptional, peer, ...entry } = from[path];
    packages[path] = { ...entry, resolved: entry.resolved ?? tarballUrl(registry, path, entry.version) };
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const wanted = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}).filter(n => locate(from, path, n)),
      ...Object.keys(entry.peerDependencies ?? {}).filter(n => !optionalPeers[n]?.optional),
    ];
    for (const dep of wanted) queue.push({ name: dep, parent: path });
  }
  return { name: consumer.name, lockfileVersion: 3, requires: true, packages };
}
