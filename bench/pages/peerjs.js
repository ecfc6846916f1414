// A minimal PeerJS video call, written the way PeerJS's README does it:
//   port  local `peer` server port        id    this participant's peer id
//   call  peer id to call once open (the second participant)
//   turn  TURN credentials URL (omit: iceServers [] — a fully offline direct call)
// window.app mirrors the plain SDK page: open, peerId, tiles (remote videos), error.
const q = new URLSearchParams(location.search);
const app = (window.app = { peer: null, peerId: null, open: false, joined: false, error: null, tiles: new Map(), calls: [] });

function show(remoteId, stream) {
  let tile = app.tiles.get(remoteId);
  if (!tile) {
    tile = document.createElement('video');
    tile.autoplay = true;
    tile.playsInline = true;
    tile.dataset.peerId = remoteId;
    document.querySelector('#remotes').appendChild(tile);
    app.tiles.set(remoteId, tile);
  }
  tile.srcObject = stream;
}

function wire(call) {
  app.calls.push(call);
  call.on('stream', stream => show(call.peer, stream));
  call.on('close', () => {
    app.tiles.get(call.peer)?.remove();
    app.tiles.delete(call.peer);
  });
}

try {
  const iceServers = q.get('turn') ? await (await fetch(q.get('turn'))).json() : [];
  const peer = (app.peer = new peerjs.Peer(q.get('id') || undefined, {
    host: '127.0.0.1', port: Number(q.get('port')), path: '/', debug: 0, config: { iceServers },
  }));
  const localStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  document.querySelector('#local').srcObject = localStream;
  peer.on('call', call => {
    call.answer(localStream);
    wire(call);
  });
  peer.on('error', err => (app.error = String(err && (err.type + ': ' + err.message))));
  await new Promise((resolve, reject) => {
    if (peer.open) resolve();
    peer.once('open', resolve);
    peer.once('error', reject);
  });
  app.peerId = peer.id;
  app.open = app.joined = true;
  if (q.get('call')) wire(peer.call(q.get('call'), localStream));
} catch (err) {
  app.error = String(err && (err.name + ': ' + err.message));
}
