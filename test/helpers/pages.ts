// Expressions to run in participant pages (through Participant.eval): the element
// fixture (test/fixtures/element-participant.html) and the plain tutorial page
// (test/fixtures/plain-sdk.html). Each returns a promise the page settles.
import { WAIT_FOR_FRAMES_SOURCE } from './frames.js';

const json = (v: unknown) => JSON.stringify(v);

/** Element page: resolves with the ms it took once every listed remote presented `frames` frames. */
export const elementRemoteFrames = (peerIds: string[] | null, frames = 3, timeoutMs = 10000) =>
  `window.__probe.waitForRemoteFrames(window.el, ${peerIds ? json(peerIds) : 'undefined'}, ${frames}, ${timeoutMs})`;

/** Element page: the names shown on remote tiles, by peer id. */
export const elementRemoteNames = 'window.__probe.remoteNames(window.el)';

/** Element page: a diagnostic line about its call and its peer connections. */
export const elementDiagnostics = `(() => {
  const pcs = window.__probe.peerConnections.filter(pc => pc.connectionState !== 'closed');
  const videos = Object.entries(window.__probe.remoteVideos(window.el)).map(([id, v]) => id.slice(0, 8) + ':' + v.readyState +
    (v.paused ? ' paused' : ' playing') + ' t=' + v.currentTime.toFixed(1) + ' ' + v.videoWidth + 'x' + v.videoHeight + ' tracks=' +
    (v.srcObject ? v.srcObject.getTracks().map(t => t.kind + '/' + t.readyState + (t.muted ? '/muted' : '')).join('+') : 'none'));
  return 'state=' + window.el.state + ' peer=' + window.el.peerId + ' pcs=[' + pcs.map(pc =>
    pc.signalingState + '/' + pc.iceGatheringState + '/' + pc.iceConnectionState + '/' + pc.connectionState).join(', ') + '] videos=[' + videos.join(', ') + ']';
})()`;

/** Plain SDK page: resolves with its peer id once joined (rejects on its error or after `timeoutMs`). */
export const plainJoined = (timeoutMs = 10000) => `new Promise((resolve, reject) => {
  const t0 = Date.now();
  const poll = () => window.app && window.app.error ? reject(new Error(window.app.error))
    : window.app && window.app.joined ? resolve(window.app.peerId)
    : Date.now() - t0 > ${timeoutMs} ? reject(new Error('plain page not joined'))
    : requestAnimationFrame(poll);
  poll();
})`;

/** Plain SDK page: resolves once the tile of `peerId` (or the first tile) presented `frames` frames. */
export const plainRemoteFrames = (peerId: string | null, frames = 3, timeoutMs = 10000) => `(async () => {
  const waitForFrames = ${WAIT_FOR_FRAMES_SOURCE};
  const t0 = Date.now();
  for (;;) {
    const tile = ${peerId ? `window.app.tiles.get(${json(peerId)})` : 'window.app.tiles.values().next().value'};
    if (tile && tile.srcObject) { await waitForFrames(tile, ${frames}, Math.max(1, ${timeoutMs} - (Date.now() - t0))); return Date.now() - t0; }
    if (Date.now() - t0 > ${timeoutMs}) throw new Error('no remote stream on the plain page');
    await new Promise(r => requestAnimationFrame(r));
  }
})()`;

/** Plain SDK page: a diagnostic line about its peer connections. */
export const plainDiagnostics = `(() => {
  const remotes = window.app.peer ? window.app.peer.remotePeers : [];
  return 'peer=' + window.app.peerId + ' remotes=[' + remotes.map(r => r.state + ' ' + r.pc.signalingState + '/' + r.pc.iceGatheringState + '/' + r.pc.iceConnectionState + '/' + r.pc.connectionState).join(', ') + ']';
})()`;
