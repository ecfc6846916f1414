// The one validating module for what peers send (src/protocol/messages.ts, schemas in
// src/protocol/schema.ts): a schema per message type, nothing outside a schema read.
import { expect } from '@open-wc/testing';
import { MAX_NAME_LENGTH, parsePeerMessage } from '../src/index.js';
import { MAX_CHAT_LENGTH, PEER_MESSAGE_SCHEMAS } from '../src/protocol/messages.js';

describe('peer message schemas', () => {
  it('has a schema for every message type the element understands', () => {
    expect(Object.keys(PEER_MESSAGE_SCHEMAS).sort()).to.deep.equal(['chat', 'hand', 'introduce', 'quality', 'reaction', 'state', 'view']);
  });

  it('returns exactly the schema fields, cleaned: spoofed identities and extra fields are never read', () => {
    const spoof = { type: 'introduce', username: '  Eve\u202e\u200b  ', from: 'someone-else', peerId: 'someone-else', senderPeerId: 'x', html: '<b>' };
    expect(parsePeerMessage(spoof)).to.deep.equal({ type: 'introduce', username: 'Eve' });
    expect(parsePeerMessage({ type: 'state', audio: true, video: false, screen: false, from: 'x' })).to.deep.equal({ type: 'state', audio: true, video: false, screen: false });
    expect(parsePeerMessage({ type: 'chat', text: ' hi\u0000 ', peerId: 'x' })).to.deep.equal({ type: 'chat', text: 'hi' });
  });

  it('refuses non-objects, unknown and inherited types, wrong field types, and oversized payloads', () => {
    for (const data of [null, undefined, 42, 'introduce', true, [], [{ type: 'introduce', username: 'A' }], new Date()]) {
      expect(parsePeerMessage(data), JSON.stringify(data)).to.equal(null);
    }
    for (const type of ['unknown', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 1]) {
      expect(parsePeerMessage({ type, username: 'A' }), String(type)).to.equal(null);
    }
    expect(parsePeerMessage(JSON.parse('{"type":"introduce","__proto__":{"username":"inherited"}}'))).to.equal(null);
    expect(parsePeerMessage({ type: 'introduce', username: { toString: () => 'obj' } })).to.equal(null);
    expect(parsePeerMessage({ type: 'introduce', username: '\u200b\u202e ' }), 'empty after cleaning').to.equal(null);
    expect(parsePeerMessage({ type: 'state', audio: 'yes', video: false, screen: false })).to.equal(null);
    expect(parsePeerMessage({ type: 'state', audio: true, video: false })).to.equal(null);
    expect(parsePeerMessage({ type: 'introduce', username: 'x'.repeat(60 * 1024) }), '60 KB name').to.equal(null);
    expect(parsePeerMessage({ type: 'chat', text: 'x'.repeat(MAX_CHAT_LENGTH * 4 + 1) })).to.equal(null);
  });

  it('bounds what it lets through', () => {
    const name = parsePeerMessage({ type: 'introduce', username: '😀'.repeat(200) });
    expect(name?.type).to.equal('introduce');
    expect(Array.from((name as { username: string }).username)).to.have.length(MAX_NAME_LENGTH);
    const chat = parsePeerMessage({ type: 'chat', text: 'y'.repeat(MAX_CHAT_LENGTH + 100) });
    expect((chat as { text: string }).text).to.have.length(MAX_CHAT_LENGTH);
  });
});
