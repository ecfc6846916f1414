// Builds demo/docs.html from ../custom-elements.json: one table per kind of API, one live
// control per row. Text from the manifest goes in through textContent only.
const q = new URLSearchParams(location.search);
const server = q.get('server') ?? 'ws://127.0.0.1:8080';
const live = document.getElementById('live');
live.setAttribute('server-url', server);
live.setAttribute('turn-url', `${server.replace(/^ws/, 'http')}/api/v1/turn/credentials?apiKey=pk_live_local`);
live.setAttribute('room', q.get('room') ?? 'docs');

const manifest = await (await fetch(new URL('../custom-elements.json', import.meta.url))).json();
const element = manifest.modules.flatMap(m => m.declarations ?? []).find(d => d.tagName === 'metered-call');

const h = (tag, { dataset, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children.filter(c => c !== null && c !== undefined));
  return node;
};
const code = text => (text ? h('code', { textContent: String(text) }) : '');
const table = (id, head, rows) => {
  const t = document.getElementById(id);
  t.append(h('thead', {}, h('tr', {}, ...head.map(x => h('th', { textContent: x })))));
  t.append(h('tbody', {}, ...rows.map(([key, cells]) => h('tr', { dataset: { name: key } }, ...cells.map(c => h('td', {}, c))))));
};
const readOnly = item => /^\(read-only\)/.test(item.description ?? '');

document.getElementById('summary').textContent = element.summary ?? '';

// Attributes: a text box per string attribute, a checkbox per boolean; read-only ones show their value.
table('attributes', ['Attribute', 'Property', 'Type', 'Default', 'Description', 'Live'], element.attributes.map(a => {
  let control;
  if (readOnly(a)) {
    control = h('span', { className: 'live' });
    const show = () => (control.textContent = live.getAttribute(a.name) ?? '');
    new MutationObserver(show).observe(live, { attributes: true, attributeFilter: [a.name] });
    show();
  } else if (a.type?.text === 'boolean') {
    control = h('input', { type: 'checkbox', checked: live.hasAttribute(a.name), ariaLabel: a.name });
    control.addEventListener('change', () => live.toggleAttribute(a.name, control.checked));
  } else {
    control = h('input', { type: 'text', value: live.getAttribute(a.name) ?? '', ariaLabel: a.name });
    control.addEventListener('change', () => live.setAttribute(a.name, control.value));
  }
  return [a.name, [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), a.description ?? '', control]];
}));

// Properties without an attribute, and methods (each method is a button on the live example).
const attrFields = new Set(element.attributes.map(a => a.fieldName));
const members = element.members.filter(m => (!m.privacy || m.privacy === 'public') && !attrFields.has(m.name));
table('members', ['Member', 'Type', 'Description', 'Live'], members.map(m => {
  let control = '';
  if (m.kind === 'method' && !m.static) {
    control = h('button', { type: 'button', textContent: `${m.name}()` });
    control.addEventListener('click', () => live[m.name]().catch(() => {}));
  } else if (m.kind === 'field') {
    control = h('span', { className: 'live' });
    const show = () => {
      const v = m.static ? live.constructor[m.name] : live[m.name];
      control.textContent = typeof v === 'function' ? 'function' : JSON.stringify(v ?? null);
    };
    for (const type of ['joined', 'left', 'error']) live.addEventListener(type, () => queueMicrotask(show));
    show();
  }
  const name = `${m.static ? 'static ' : ''}${m.name}${m.kind === 'method' ? '()' : ''}`;
  return [m.name, [code(name), code(m.type?.text ?? m.return?.type?.text), m.description ?? '', control]];
}));

// Events: a counter and the last detail for each, fed by listeners on the live example.
const log = document.getElementById('log');
table('events', ['Event', 'Detail', 'Description', 'Heard'], element.events.map(e => {
  const heard = h('span', { className: 'live', textContent: '0' });
  let count = 0;
  live.addEventListener(e.name, event => {
    count += 1;
    heard.textContent = `${count}× ${JSON.stringify(event.detail)}`;
    log.textContent += `${new Date().toLocaleTimeString()} ${e.name} ${JSON.stringify(event.detail)}\n`;
    log.scrollTop = log.scrollHeight;
  });
  return [e.name, [code(e.name), code((e.type?.text ?? '').replace(/^CustomEvent<(.*)>$/, '$1')), e.description ?? '', heard]];
}));

// Parts: outline the ticked ones through ::part().
const highlights = document.getElementById('part-highlights');
const ticked = new Set();
table('parts', ['Part', 'Description', 'Outline'], element.cssParts.map(p => {
  const box = h('input', { type: 'checkbox', ariaLabel: `outline ${p.name}` });
  box.addEventListener('change', () => {
    box.checked ? ticked.add(p.name) : ticked.delete(p.name);
    highlights.textContent = [...ticked].map(n => `#live::part(${n}) { outline: 3px solid #e11d8f; outline-offset: -3px; }`).join('\n');
  });
  return [p.name, [code(p.name), p.description ?? '', box]];
}));

// Custom properties: each input sets the property on the live example.
table('css-properties', ['Property', 'Default', 'Description', 'Value'], element.cssProperties.map(p => {
  const input = h('input', { type: 'text', placeholder: p.default ?? '', ariaLabel: p.name });
  input.addEventListener('input', () => (input.value ? live.style.setProperty(p.name, input.value) : live.style.removeProperty(p.name)));
  return [p.name, [code(p.name), code(p.default), p.description ?? '', input]];
}));

window.docs = { manifest, element, live, ready: true };
document.documentElement.dataset.ready = '';
