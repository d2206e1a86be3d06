// Discovery, context, order_by and random samples through the official Qdrant JS REST client
// (@qdrant/js-client-rest 1.19.0), checked against a brute-force computation of the reference's formulas.
// Usage: node query-kinds.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';
import { baseUrl, check, progress, rng, run } from './harness.mjs';

const url = baseUrl('query-kinds.mjs');

const random = rng(23);
const vector = (dim) => Array.from({ length: dim }, () => Math.fround(random() * 2 - 1));
const count = 150;
const dense = Array.from({ length: count }, () => vector(6));

const cosine = (x, y) => {
  let dot = 0, nx = 0, ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return dot / Math.sqrt(nx * ny);
};
const side = (p, n) => (p > n ? 1 : p < n ? -1 : 0);
const squash = (x) => 0.5 * (x / (1 + Math.abs(x)) + 1);

const collection = 'js_query_kinds';

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });

  progress.step = 'create a collection with a range index';
  await client.createCollection(collection, { vectors: { size: 6, distance: 'Cosine' } });
  await client.upsert(collection, {
    wait: true,
    points: dense.map((v, id) => ({ id, vector: v, payload: { rank: id % 9, group: id % 4 } })),
  });
  await client.createPayloadIndex(collection, { field_name: 'rank', field_schema: 'integer', wait: true });

  progress.step = 'discover by a target vector and a pair of ids';
  const target = vector(6);
  const found = await client.query(collection, {
    query: { discover: { target, context: [{ positive: 1, negative: 2 }] } },
    limit: 10,
    params: { exact: true },
  });
  const expected = dense
    .map((v, id) => ({ id, score: side(cosine(v, dense[1]), cosine(v, dense[2])) + squash(cosine(v, target)) }))
    .filter((p) => p.id !== 1 && p.id !== 2)
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, 10);
  check(found.points.length === 10 && found.points.every((p, i) => p.id === expected[i].id && Math.abs(p.score - expected[i].score) < 1e-4),
    'the reference discovery scores, best first, the pair ids left out', found.points);

  progress.step = 'context pairs only';
  const context = await client.query(collection, { query: { context: [{ positive: 3, negative: 4 }] }, limit: 20 });
  check(context.points.length === 20 && context.points.every((p) => p.score <= 0 && p.id !== 3 && p.id !== 4), 'scores at most 0', context.points);

  progress.step = 'scroll ordered by a payload field';
  const page = await client.scroll(collection, { order_by: { key: 'rank', direction: 'desc', start_from: 7 }, limit: 5 });
  const ordered = dense.map((_, id) => ({ id, value: id % 9 })).filter((p) => p.value <= 7)
    .sort((a, b) => b.value - a.value || b.id - a.id).slice(0, 5);
  check(JSON.stringify(page.points.map((p) => [p.order_value, p.id])) === JSON.stringify(ordered.map((p) => [p.value, p.id])),
    'by value, ties by id, from start_from', page.points);
  check(page.next_page_offset === null || page.next_page_offset === undefined, 'no next page offset', page.next_page_offset);

  progress.step = 'query ordered by a payload field';
  const byQuery = await client.query(collection, { query: { order_by: 'rank' }, limit: 3 });
  check(JSON.stringify(byQuery.points.map((p) => [p.order_value, p.id])) === JSON.stringify([[0, 0], [0, 9], [0, 18]]), 'ascending', byQuery.points);

  progress.step = 'random sample under a filter';
  const orders = new Set();
  for (let round = 0; round < 5; round++) {
    const sample = await client.query(collection, { query: { sample: 'random' }, filter: { must: [{ key: 'group', match: { value: 1 } }] }, limit: 8, with_payload: true });
    check(sample.points.length === 8 && sample.points.every((p) => p.payload.group === 1), 'only matching points', sample.points);
    check(new Set(sample.points.map((p) => p.id)).size === 8, 'each point once', sample.points);
    orders.add(sample.points.map((p) => p.id).join(','));
  }
  check(orders.size > 1, 'not the same list every time', [...orders]);

  await client.deleteCollection(collection);
}

run(main, 'query kinds scenario passed');
