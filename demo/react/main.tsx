// <metered-call> in a React 19 app. React 19 sets properties on custom elements (when the
// element has them) and adds listeners for `on<event>` props with the exact event name,
// so no wrapper is needed. Query: server (ws URL of the local server, default
// ws://127.0.0.1:8080), room, name.
import { StrictMode, useCallback, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'metered-call/define';
import type {} from 'metered-call/react';
import type { MeteredCall, MeteredCallTokenProvider } from 'metered-call';

const q = new URLSearchParams(location.search);
const serverUrl = q.get('server') ?? 'ws://127.0.0.1:8080';
const httpOrigin = serverUrl.replace(/^ws/, 'http');
const turnUrl = `${httpOrigin}/api/v1/turn/credentials?apiKey=pk_live_local`;

type Entry = { type: string; detail: unknown };

function App() {
  const [room, setRoom] = useState(q.get('room') ?? 'react-demo');
  const [name, setName] = useState(q.get('name') ?? 'React visitor');
  const [log, setLog] = useState<Entry[]>([]);
  const [state, setState] = useState('idle');
  const ref = useRef<MeteredCall>(null);

  // the token path, from the app: the local server's /api/token stands in for your backend
  const tokenProvider = useCallback<MeteredCallTokenProvider>(async ({ room, name, signal }) => {
    const url = new URL('/api/token', httpOrigin);
    url.searchParams.set('room', room);
    if (name) url.searchParams.set('name', name);
    const response = await fetch(url, { signal });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    return (await response.json()) as { token: string; expiresAt: number };
  }, []);

  const record = (event: CustomEvent) => {
    setLog(l => [...l, { type: event.type, detail: event.detail }]);
    setState(ref.current?.state ?? '?');
  };

  useEffect(() => {
    Object.assign(window, { demo: { setRoom, setName, log, element: ref.current } });
  });

  return (
    <main>
      <h1>React 19 + &lt;metered-call&gt;</h1>
      <form onSubmit={e => e.preventDefault()}>
        <label>Room <input value={room} onChange={e => setRoom(e.target.value)} /></label>
        <label>Name <input value={name} onChange={e => setName(e.target.value)} /></label>
        <span>state: <output id="state">{state}</output></span>
      </form>
      <metered-call
        ref={ref}
        room={room}
        name={name}
        serverUrl={serverUrl}
        turnUrl={turnUrl}
        tokenProvider={tokenProvider}
        chat
        onjoined={record}
        onpeer-joined={record}
        onpeer-left={record}
        onintroduce={record}
        onleft={record}
        onchat-message={record}
        onhand-raised={record}
        onreaction={record}
        onquality-change={record}
        onerror={record}
      />
      <ol id="log">
        {log.map((e, i) => (
          <li key={i}>
            {e.type} {JSON.stringify(e.detail)}
          </li>
        ))}
      </ol>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
