// Copy of test/fixtures/plain-sdk.js (contender (b) of `npm run bench`); kept identical so both measure the same page.
// Metered's tutorial "WebRTC Video Call — No Backend", with its documented pitfall fix
// (re-introduce to late joiners), parameterised by the query string:
//   server  signalling origin for the SDK's `url` option (ws://127.0.0.1:<port>)
//   turn    full TURN credentials URL (omit for STUN-free direct calls)
//   key     publishable key          room  channel          name  username to introduce
//   relay=1 force iceTransportPolicy "relay" (media only through TURN)
// window.app exposes what tests read: peerId, names (peerId → username), remote videos.
import { MeteredPeer } from '@metered-ca/realtime';

const q = new URLSearchParams(location.search);
const app = (window.app = { peer: null, peerId: null, names: {}, joined: false, error: null, tiles: new Map(), received: [] });

async function fetchIceServers() {
  if (!q.get('turn')) return [];
  const r = await fetch(q.get('turn'));
  return r.json();
}

try {
  const iceServers = await fetchIceServers();
  const peer = (app.peer = new MeteredPeer({
    apiKey: q.get('key') ?? 'pk_live_local',
    url: q.get('server'),
    rtcPeerConnectionFactory: cfg =>
      new RTCPeerConnection({ ...cfg, iceServers, ...(q.get('relay') === '1' ? { iceTransportPolicy: 'relay' } : {}) }),
  }));

  const localStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  document.querySelector('#local').srcObject = localStream;
  peer.addStream(localStream);

  const introduce = () => peer.send({ type: 'introduce', username: q.get('name') ?? 'Plain' });

  peer.on('peer-joined', ({ peer: remote }) => {
    const tile = document.createElement('video');
    tile.autoplay = true;
    tile.playsInline = true;
    tile.dataset.peerId = remote.id;
    document.querySelector('#remotes').appendChild(tile);
    app.tiles.set(remote.id, tile);
    remote.on('track', ({ streams }) => {
      tile.srcObject = streams[0];
    });
    // the tutorial's pitfall: late joiners never learn names unless we re-send
    if (peer.state === 'joined') introduce().catch(() => {});
  });
  peer.on('peer-left', ({ peer: remote }) => {
    app.tiles.get(remote.id)?.remove();
    app.tiles.delete(remote.id);
  });
  peer.on('joined', () => {
    app.peerId = peer.peerId;
    app.joined = true;
    introduce().catch(() => {});
  });
  peer.on('data', ({ senderPeerId, data, kind }) => {
    app.received.push({ senderPeerId, data, kind }); // for tests: everything that arrived
    if (data && data.type === 'introduce') app.names[senderPeerId] = String(data.username);
  });

  await peer.join(q.get('room'));
} catch (err) {
  app.error = String(err && (err.name + ': ' + err.message));
}
