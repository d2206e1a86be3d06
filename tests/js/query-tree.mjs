// Hybrid queries (prefetch branches fused with RRF, or re-ranked) through the official Qdrant JS REST client
// (@qdrant/js-client-rest 1.19.0), checked against a brute-force computation of the reference's formulas.
// Usage: node query-tree.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';
import { baseUrl, check, progress, rng, run } from './harness.mjs';

const url = baseUrl('query-tree.mjs');

const random = rng(18);
const vector = (dim) => Array.from({ length: dim }, () => Math.fround(random() * 2 - 1));
const count = 200;
const dense = Array.from({ length: count }, () => vector(8));
const other = Array.from({ length: count }, () => vector(4));

const cosine = (x, y) => {
  let dot = 0, nx = 0, ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return dot / Math.sqrt(nx * ny);
};
const euclid = (x, y) => Math.sqrt(x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0));

// Best first, ties to the smaller id.
const byDense = (q) => dense.map((v, id) => ({ id, score: cosine(q, v) })).sort((a, b) => b.score - a.score || a.id - b.id);
const byOther = (q) => other.map((v, id) => ({ id, score: euclid(q, v) })).sort((a, b) => a.score - b.score || a.id - b.id);

// Reciprocal rank fusion: 1 / (position + k) per list, summed in float32 in list order as the reference sums.
function rrf(k, ...lists) {
  const sums = new Map();
  for (const list of lists) {
    list.forEach((p, pos) => sums.set(p.id, Math.fround((sums.get(p.id) ?? 0) + Math.fround(1 / (pos + k)))));
  }
  return [...sums].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

function sameOrder(points, expected, eps) {
  return points.length === expected.length && points.every((p, i) => p.id === expected[i].id && Math.abs(p.score - expected[i].score) <= eps);
}

const collection = 'js_query_tree';

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });

  progress.step = 'create a collection with two named vectors';
  await client.createCollection(collection, { vectors: { dense: { size: 8, distance: 'Cosine' }, other: { size: 4, distance: 'Euclid' } } });
  await client.upsert(collection, {
    wait: true,
    points: dense.map((v, id) => ({ id, vector: { dense: v, other: other[id] }, payload: { n: id } })),
  });

  const qd = vector(8);
  const qo = vector(4);

  progress.step = 'prefetch fused with rrf';
  const fused = await client.query(collection, {
    prefetch: [
      { query: qd, using: 'dense', limit: 20 },
      { query: qo, using: 'other', limit: 20 },
    ],
    query: { fusion: 'rrf' },
    limit: 10,
    with_payload: true,
  });
  const expectedFused = rrf(2, byDense(qd).slice(0, 20), byOther(qo).slice(0, 20)).slice(0, 10);
  check(sameOrder(fused.points, expectedFused, 1e-6), 'fused order and scores as computed', { got: fused.points.map((p) => [p.id, p.score]), expected: expectedFused });
  check(fused.points.every((p) => p.payload?.n === p.id), 'payload of fused points', fused.points);

  progress.step = 'rrf with k, one branch object';
  const withK = await client.query(collection, {
    prefetch: { query: qd, using: 'dense', limit: 15 },
    query: { rrf: { k: 60 } },
    limit: 5,
  });
  check(sameOrder(withK.points, rrf(60, byDense(qd).slice(0, 15)).slice(0, 5), 1e-7), 'a single branch ranked by 1/(position + 60)', withK.points);

  progress.step = 'nested prefetch re-ranked by a vector';
  const reranked = await client.query(collection, {
    prefetch: [{
      prefetch: [
        { query: qd, using: 'dense', limit: 30 },
        { query: qo, using: 'other', limit: 30 },
      ],
      query: { fusion: 'rrf' },
      limit: 15,
    }],
    query: qd,
    using: 'dense',
    limit: 5,
  });
  const top15 = new Set(rrf(2, byDense(qd).slice(0, 30), byOther(qo).slice(0, 30)).slice(0, 15).map((p) => p.id));
  const expectedReranked = byDense(qd).filter((p) => top15.has(p.id)).slice(0, 5);
  check(sameOrder(reranked.points, expectedReranked, 1e-4), 'the fused top 15 ranked by cosine', { got: reranked.points, expected: expectedReranked });

  progress.step = 'queryBatch with prefetch';
  const batch = await client.queryBatch(collection, {
    searches: [
      { prefetch: [{ query: qd, using: 'dense', limit: 20 }, { query: qo, using: 'other', limit: 20 }], query: { fusion: 'rrf' }, limit: 10 },
      { prefetch: [{ query: qo, using: 'other', limit: 20 }], query: { fusion: 'dbsf' }, limit: 3 },
    ],
  });
  check(batch.length === 2 && sameOrder(batch[0].points, expectedFused, 1e-6), 'first batch answer is the fused one', batch);
  check(JSON.stringify(batch[1].points.map((p) => p.id)) === JSON.stringify(byOther(qo).slice(17, 20).map((p) => p.id).reverse()),
    'dbsf of one Euclid list ranks the largest distances first, as the reference does', batch[1]);

  progress.step = 'fusion without prefetch is refused';
  let refused = null;
  try {
    await client.query(collection, { query: { fusion: 'rrf' } });
  } catch (e) {
    refused = e;
  }
  check(refused?.status === 400 && String(refused?.data?.status?.error).includes('cannot apply Fusion without prefetches'), '400 naming the problem', refused?.data);

  await client.deleteCollection(collection);
}

run(main, 'query tree scenario passed');
