// Metered's tutorial code ("WebRTC Video Call — No Backend", call.js) as written, the
// plain SDK contender of the bench. Changed, and nothing else: the keys, the SDK's server
// URL (the `url` option, pointing at the local server), the TURN credentials URL, and the
// room (every bench call needs a room of its own) — the bench's static server fills in
// the {{…}} placeholders. `refreshTileLabel` is not defined in the tutorial either: an
// `introduce` makes this page throw in its data handler, exactly as the tutorial does.
import { MeteredPeer } from "@metered-ca/peer";
const PK_KEY = "{{key}}";
const TURN_APP_KEY = "{{turnKey}}";
// pk_live_ keys don't include iceServers, so we inject them via the
// rtcPeerConnectionFactory hook on construction. The factory receives
// the SDK's RTCConfiguration and returns the wired-up RTCPeerConnection.
const iceServers = await fetchIceServers();
const peer = new MeteredPeer({
  apiKey: PK_KEY,
  url: "{{server}}",
  rtcPeerConnectionFactory: (cfg) => new RTCPeerConnection({
    ...cfg,
    iceServers, // your client-side-fetched TURN creds
  }),
});
const localStream = await navigator.mediaDevices.getUserMedia({
  video: true,
  audio: true,
});
document.querySelector("#local").srcObject = localStream;
peer.addStream(localStream);
const tiles = new Map();
peer.on("peer-joined", ({ peer: remote }) => {
  const tile = document.createElement("video");
  tile.autoplay = true;
  tile.playsInline = true;
  document.querySelector("#remotes").appendChild(tile);
  tiles.set(remote.id, tile);
  remote.on("track", ({ streams }) => {
    tile.srcObject = streams[0];
  });
});
peer.on("peer-left", ({ peer: remote }) => {
  tiles.get(remote.id)?.remove();
  tiles.delete(remote.id);
});
// Identify yourself via a broadcast (since there's no peerMetadata).
peer.on("joined", () => {
  peer.send({ type: "introduce", username: "Alice" });
});
const usernames = new Map(); // peerId → username
peer.on("data", ({ senderPeerId, data }) => {
  if (data.type === "introduce") {
    usernames.set(senderPeerId, data.username);
    refreshTileLabel(senderPeerId);
  }
});
async function fetchIceServers() {
  const r = await fetch(
    `{{turnCredentials}}?apiKey=${TURN_APP_KEY}`,
  );
  return r.json();
}
await peer.join("{{room}}");
