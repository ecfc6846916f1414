// scripts/setup.sh (run before `npm start` and `npm test`) on a machine that lacks the
// Debian packages, as a user who is not root and has no sudo: it stops at once, with the
// exact apt-get line to run, before anything else starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from './helpers.ts';

const SETUP = new URL('../../scripts/setup.sh', import.meta.url).pathname;
const NOBODY = 65534;

test('setup.sh without the packages, without root and sudo: exits 1 at once with the apt-get line', t => {
  // a copy readable by an unprivileged user, and a PATH with only what the script itself uses;
  // in /tmp (world-traversable), since TMPDIR may sit in a private folder (CI's is mode 0700)
  const dir = mkdtempSync(join(existsSync('/tmp') ? '/tmp' : tmpdir(), 'metered-call-setup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'bin'));
  copyFileSync(SETUP, join(dir, 'scripts/setup.sh'));
  for (const tool of ['dirname', 'id']) symlinkSync(`/usr/bin/${tool}`, join(dir, 'bin', tool));
  for (const d of [dir, join(dir, 'scripts'), join(dir, 'bin')]) chmodSync(d, 0o755);

  for (const purpose of ['test', 'start']) {
    const run = spawnSync('/bin/sh', [join(dir, 'scripts/setup.sh'), purpose], {
      uid: NOBODY,
      gid: NOBODY,
      env: { PATH: join(dir, 'bin'), HOME: dir },
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(run.status, 1, `${purpose}: exit status\n${run.stdout}${run.stderr}`);
    const wanted = purpose === 'test' ? 'coturn chromium iproute2 util-linux firefox-esr fonts-noto-color-emoji' : 'coturn';
    assert.match(run.stderr, new RegExp(`please install as root: apt-get install -y --no-install-recommends ${wanted}\\n`), `${purpose}: the install line`);
    assert.doesNotMatch(run.stdout + run.stderr, /npm|apt-get update/, `${purpose}: nothing else was started`);
  }
});
