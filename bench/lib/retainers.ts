// When the leak scenario sees growth: takes a heap snapshot through CDP and prints the
// shortest strong retaining path from the GC roots to each detached `<metered-call>`
// (what keeps a removed element alive), for the report and docs/performance.md.
import type { CDPSession } from 'playwright-core';

interface Snap {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[]; edges: number[]; strings: string[];
}

export async function retainingPaths(s: CDPSession, match: (name: string) => boolean, max = 2): Promise<string[][]> {
  const chunks: string[] = [];
  const onChunk = (e: { chunk: string }) => chunks.push(e.chunk);
  s.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await s.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  s.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(chunks.join('')) as Snap;
  const { node_fields: nf, node_types, edge_fields: ef, edge_types } = snap.snapshot.meta;
  const N = nf.length, E = ef.length, ntypes = node_types[0], etypes = edge_types[0];
  const iType = nf.indexOf('type'), iName = nf.indexOf('name'), iEdges = nf.indexOf('edge_count');
  const { nodes, edges, strings } = snap;
  const count = nodes.length / N;
  const firstEdge = new Int32Array(count + 1);
  for (let i = 0, pos = 0; i < count; i++) { firstEdge[i] = pos; pos += nodes[i * N + iEdges]! * E; firstEdge[i + 1] = pos; }
  const name = (i: number) => strings[nodes[i * N + iName]!]!;
  const type = (i: number) => ntypes[nodes[i * N + iType]!]!;
  // breadth-first from the root over strong edges: shortest retaining paths
  const parent = new Int32Array(count).fill(-1), via = new Int32Array(count).fill(-1);
  parent[0] = 0;
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q]!;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e += E) {
      if (etypes[edges[e]!] === 'weak') continue;
      const to = edges[e + 2]! / N;
      if (parent[to] !== -1) continue;
      parent[to] = n; via[to] = e;
      queue.push(to);
    }
  }
  const edgeName = (e: number) => {
    const t = etypes[edges[e]!]!, v = edges[e + 1]!;
    return t === 'element' || t === 'hidden' ? `${t}[${v}]` : `${t}:${String(strings[v]).slice(0, 40)}`;
  };
  const out: string[][] = [];
  for (let i = 0; i < count && out.length < max; i++) {
    if (type(i) !== 'native' || !match(name(i)) || parent[i] === -1) continue; // DOM nodes, not strings
    const path: string[] = [];
    for (let n = i; n !== 0; n = parent[n]!) {
      const p = parent[n]!;
      if (/^(blink::(HeapVectorBacking|BasicHeapVector|HeapHashTableBacking)|$)/.test(name(p))) continue; // container plumbing
      path.unshift(`${type(p)} ${name(p).slice(0, 70)} —${edgeName(via[n]!)}→`);
    }
    path.push(name(i).slice(0, 70));
    out.push(path);
  }
  return out;
}
