// The live-region announcer (src/controllers/announcer.ts) in Node: what a screen-reader
// user hears as people come and go. The host is a plain object standing in for the element
// (a Lit ReactiveControllerHost: addController, requestUpdate); time is Node's mock timers.
// Run: npm run test:unit
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { Announcer } from '../../src/controllers/announcer.ts';

/** The element's side: the session's map of names, who has a tile, whether we are in the room. */
function setup() {
  const names = new Map<string, string>();
  const present = new Set<string>();
  const room = { in: true };
  const controllers: { hostUpdate?: () => void }[] = [];
  const host = {
    addController: (c: object) => void controllers.push(c),
    removeController: () => {},
    requestUpdate: () => {},
    updateComplete: Promise.resolve(true),
  };
  const announcer = new Announcer(
    host,
    () => ({ peerJoined: n => `${n} joined`, peerLeft: n => `${n} left` }),
    id => names.get(id) ?? 'Guest',
    id => present.has(id),
    () => room.in,
  );
  const heard: string[] = [];
  const original = announcer.announce.bind(announcer);
  announcer.announce = text => {
    heard.push(text);
    original(text);
  };
  const update = () => controllers.forEach(c => c.hostUpdate?.());
  return { announcer, names, present, room, heard, update };
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('"X joined" waits for X to introduce themselves, then says their name once', () => {
  const { announcer, names, present, heard } = setup();
  present.add('b');
  announcer.peerJoined('b');
  assert.deepEqual(heard, []);
  names.set('b', 'Bruno');
  announcer.introduced('b');
  assert.deepEqual(heard, ['Bruno joined']);
  mock.timers.tick(5000);
  assert.deepEqual(heard, ['Bruno joined'], 'the waiting timer is gone');
});

test('without a name within 3 s the newcomer is announced as a guest', () => {
  const { announcer, present, heard } = setup();
  present.add('b');
  announcer.peerJoined('b');
  mock.timers.tick(2999);
  assert.deepEqual(heard, []);
  mock.timers.tick(1);
  assert.deepEqual(heard, ['Guest joined']);
});

test('"X left" says the name even after the session forgot it; one who left unannounced is not announced', () => {
  const { announcer, names, present, heard } = setup();
  present.add('b');
  names.set('b', 'Bruno');
  announcer.peerJoined('b');
  announcer.introduced('b');
  // the session forgets the name and the tile before telling us
  names.delete('b');
  present.delete('b');
  announcer.peerLeft('b');
  assert.deepEqual(heard, ['Bruno joined', 'Bruno left']);

  present.add('c');
  announcer.peerJoined('c');
  present.delete('c');
  announcer.peerLeft('c');
  mock.timers.tick(5000);
  assert.deepEqual(heard, ['Bruno joined', 'Bruno left'], 'nothing about c');
});

test('a rename after the announcement is what "left" says', () => {
  const { announcer, names, present, heard } = setup();
  present.add('b');
  announcer.peerJoined('b');
  mock.timers.tick(3000);
  names.set('b', 'Bruno');
  announcer.introduced('b');
  announcer.peerLeft('b');
  assert.deepEqual(heard, ['Guest joined', 'Bruno left']);
});

test('leaving the room drops every pending announcement (no timer outlives the call)', () => {
  const { announcer, present, room, heard, update } = setup();
  present.add('b');
  update();
  announcer.peerJoined('b');
  room.in = false;
  update();
  mock.timers.tick(5000);
  assert.deepEqual(heard, []);
});
