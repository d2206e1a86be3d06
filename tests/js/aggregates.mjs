// Grouped queries, facets and the distance matrix through the official Qdrant JS REST client
// (@qdrant/js-client-rest 1.19.0), checked against a brute-force computation.
// Usage: node aggregates.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';
import { baseUrl, check, progress, rng, run } from './harness.mjs';

const url = baseUrl('aggregates.mjs');

const random = rng(23);
const vector = (dim) => Array.from({ length: dim }, () => Math.fround(random() * 2 - 1));
const count = 120;
const vectors = Array.from({ length: count }, () => vector(4));
const euclid = (x, y) => Math.sqrt(x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0));

// The group key: an integer, a string, an array of both, or nothing.
const docOf = (i) => [i % 9, `s${i % 4}`, [i % 9, `s${i % 4}`], undefined][i % 4];
const colorOf = (i) => ['red', 'green', 'blue', 'red', 'amber'][(i * 7) % 5];
const keysOf = (i) => {
  const d = docOf(i);
  return d === undefined ? [] : Array.isArray(d) ? d : [d];
};

const collection = 'js_aggregates';

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });

  progress.step = 'create and fill';
  await client.createCollection(collection, { vectors: { size: 4, distance: 'Euclid' } });
  await client.upsert(collection, {
    wait: true,
    points: vectors.map((v, id) => ({ id, vector: v, payload: { color: colorOf(id), ...(docOf(id) === undefined ? {} : { doc: docOf(id) }) } })),
  });
  await client.createPayloadIndex(collection, { field_name: 'color', field_schema: 'keyword', wait: true });

  progress.step = 'queryGroups';
  const q = vector(4);
  const groups = await client.queryGroups(collection, { query: q, group_by: 'doc', limit: 5, group_size: 2, params: { exact: true } });
  const order = vectors.map((v, id) => ({ id, score: euclid(q, v) })).sort((a, b) => a.score - b.score || a.id - b.id);
  const expected = [];
  for (const p of order) {
    for (const key of keysOf(p.id)) {
      let g = expected.find((e) => e.id === key);
      if (!g) {
        g = { id: key, hits: [] };
        expected.push(g);
      }
      g.hits.push(p.id);
    }
  }
  const want = expected.slice(0, 5).map((g) => ({ id: g.id, hits: g.hits.slice(0, 2) }));
  const got = groups.groups.map((g) => ({ id: g.id, hits: g.hits.map((h) => h.id) }));
  check(JSON.stringify(got) === JSON.stringify(want), 'groups and their hits as computed', { got, want });

  progress.step = 'facet';
  const facet = await client.facet(collection, { key: 'color' });
  const counts = new Map();
  for (let i = 0; i < count; i++) counts.set(colorOf(i), (counts.get(colorOf(i)) ?? 0) + 1);
  const wantFacet = [...counts].map(([value, c]) => ({ value, count: c })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  check(JSON.stringify(facet.hits) === JSON.stringify(wantFacet), 'counts per color, most frequent first', { got: facet.hits, want: wantFacet });

  progress.step = 'searchMatrixPairs';
  const pairs = await client.searchMatrixPairs(collection, { sample: 1000, limit: 1 });
  check(pairs.pairs.length === count, 'one pair per point', pairs.pairs.length);
  check(pairs.pairs.every((p) => {
    const nearest = vectors.map((v, id) => ({ id, d: euclid(vectors[p.a], v) })).filter((e) => e.id !== p.a).sort((x, y) => x.d - y.d || x.id - y.id)[0];
    return nearest.id === p.b && Math.abs(nearest.d - p.score) < 1e-4;
  }), 'each point paired with its nearest other point', pairs.pairs.slice(0, 5));

  progress.step = 'searchMatrixOffsets';
  const offsets = await client.searchMatrixOffsets(collection, { sample: 1000, limit: 1 });
  check(offsets.ids.length === count && offsets.offsets_row.length === count, 'every point sampled', offsets.ids.length);
  check(offsets.offsets_col.every((c, i) => offsets.ids[c] === pairs.pairs[i].b), 'offsets point at the same neighbours as the pairs');

  await client.deleteCollection(collection);
}

run(main, 'aggregates scenario passed');
