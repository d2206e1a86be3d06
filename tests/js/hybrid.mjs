// The reference documentation's hybrid search through the official Qdrant JS REST client (@qdrant/js-client-rest
// 1.19.0): a dense and a sparse named vector, two prefetch branches fused with RRF, then a ColBERT-style multivector
// added to the live collection (createVectorName) to re-rank a dense prefetch by MaxSim, and removed again
// (deleteVectorName). Every ranking is checked against a brute-force computation here.
// Usage: node hybrid.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';
import { baseUrl, check, progress, rng, run } from './harness.mjs';

const url = baseUrl('hybrid.mjs');

const random = rng(1819);
const vector = (dim) => Array.from({ length: dim }, () => Math.fround(random() * 2 - 1));
// About `nnz` distinct terms of a 60-term vocabulary with positive weights, as a BM25/SPLADE encoder gives them.
function sparse(nnz) {
  const indices = new Set();
  while (indices.size < nnz) {
    indices.add(Math.floor(random() * 60));
  }
  const list = [...indices];
  return { indices: list, values: list.map(() => Math.fround(0.1 + random())) };
}

const count = 200;
const dense = Array.from({ length: count }, () => vector(8));
const text = Array.from({ length: count }, () => sparse(6));
const colbert = Array.from({ length: count }, () => [vector(4), vector(4), vector(4)]);

const dot = (x, y) => x.reduce((s, v, i) => s + v * y[i], 0);
const cosine = (x, y) => dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));
function sparseDot(q, d) {
  let shared = false;
  let sum = 0;
  q.indices.forEach((index, i) => {
    const at = d.indices.indexOf(index);
    if (at >= 0) {
      shared = true;
      sum += q.values[i] * d.values[at];
    }
  });
  return shared ? sum : null;
}
const maxSim = (query, rows) => query.reduce((s, q) => s + Math.max(...rows.map((r) => dot(q, r))), 0);

// Best first, ties to the smaller id. A sparse search finds only the documents sharing a term with the query.
const byDense = (q) => dense.map((v, id) => ({ id, score: cosine(q, v) })).sort((a, b) => b.score - a.score || a.id - b.id);
const bySparse = (q) => text.map((d, id) => ({ id, score: sparseDot(q, d) })).filter((p) => p.score !== null)
  .sort((a, b) => b.score - a.score || a.id - b.id);

// Reciprocal rank fusion with the reference's k = 2: 1 / (position + k) per list, summed in float32 in list order.
function rrf(...lists) {
  const sums = new Map();
  for (const list of lists) {
    list.forEach((p, pos) => sums.set(p.id, Math.fround((sums.get(p.id) ?? 0) + Math.fround(1 / (pos + 2)))));
  }
  return [...sums].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

function sameOrder(points, expected, eps) {
  return points.length === expected.length && points.every((p, i) => p.id === expected[i].id && Math.abs(p.score - expected[i].score) <= eps);
}

const collection = 'js_hybrid';

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });

  progress.step = 'create a collection with a dense and a sparse vector';
  await client.createCollection(collection, {
    vectors: { dense: { size: 8, distance: 'Cosine' } },
    sparse_vectors: { text: {} },
  });
  await client.upsert(collection, {
    wait: true,
    points: dense.map((v, id) => ({ id, vector: { dense: v, text: text[id] }, payload: { n: id } })),
  });

  progress.step = 'dense and sparse prefetch fused with rrf';
  const qd = vector(8);
  const qs = sparse(4);
  const hybrid = await client.query(collection, {
    prefetch: [
      { query: qd, using: 'dense', limit: 20 },
      { query: qs, using: 'text', limit: 20 },
    ],
    query: { fusion: 'rrf' },
    limit: 10,
    with_payload: true,
  });
  const expectedHybrid = rrf(byDense(qd).slice(0, 20), bySparse(qs).slice(0, 20)).slice(0, 10);
  check(sameOrder(hybrid.points, expectedHybrid, 1e-6), 'fused order and scores as computed', { got: hybrid.points.map((p) => [p.id, p.score]), expected: expectedHybrid });
  check(hybrid.points.every((p) => p.payload?.n === p.id), 'payload of fused points', hybrid.points);

  progress.step = 'the sparse branch alone';
  const sparseOnly = await client.query(collection, { query: qs, using: 'text', limit: 10 });
  check(sameOrder(sparseOnly.points, bySparse(qs).slice(0, 10), 1e-4), 'dot products over shared terms', sparseOnly.points);

  progress.step = 'createVectorName adds a multivector to the live collection';
  const created = await client.createVectorName(collection, 'colbert', { dense: { size: 4, distance: 'Dot', multivector_config: { comparator: 'max_sim' } } });
  check(created.status === 'completed', 'acknowledged as completed (the client waits)', created);
  const info = await client.getCollection(collection);
  check(info.config.params.vectors.colbert?.multivector_config?.comparator === 'max_sim', 'collection info lists it', info.config.params.vectors);
  const before = await client.retrieve(collection, { ids: [0], with_vector: true });
  check(before[0].vector.colbert === undefined && before[0].vector.dense.length === 8, 'existing points have no value for it', before[0].vector);
  await client.updateVectors(collection, { points: colbert.map((rows, id) => ({ id, vector: { colbert: rows } })) });

  progress.step = 'dense prefetch re-ranked by a multivector (max_sim)';
  const qc = [vector(4), vector(4)];
  const reranked = await client.query(collection, {
    prefetch: { query: qd, using: 'dense', limit: 30 },
    query: qc,
    using: 'colbert',
    limit: 5,
  });
  const expectedReranked = byDense(qd).slice(0, 30).map((p) => ({ id: p.id, score: maxSim(qc, colbert[p.id]) }))
    .sort((a, b) => b.score - a.score || a.id - b.id).slice(0, 5);
  check(sameOrder(reranked.points, expectedReranked, 1e-4), 'the dense top 30 ranked by MaxSim', { got: reranked.points, expected: expectedReranked });

  progress.step = 'deleteVectorName removes it from the collection and every point';
  await client.deleteVectorName(collection, 'colbert');
  const after = await client.getCollection(collection);
  check(after.config.params.vectors.colbert === undefined, 'collection info no longer lists it', after.config.params.vectors);
  const points = await client.retrieve(collection, { ids: [0, 1], with_vector: true });
  check(points.every((p) => p.vector.colbert === undefined && p.vector.text !== undefined), 'points keep their other vectors only', points);
  let refused = null;
  try {
    await client.query(collection, { query: qc, using: 'colbert' });
  } catch (e) {
    refused = e;
  }
  check(refused?.status === 400 && String(refused?.data?.status?.error).includes('Not existing vector name error: colbert'), '400 naming the vector', refused?.data);

  await client.deleteCollection(collection);
}

run(main, 'hybrid scenario passed');
