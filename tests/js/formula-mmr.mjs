// Formula queries and MMR through the official Qdrant JS REST client (@qdrant/js-client-rest 1.19.0), checked
// against a brute-force computation of the reference's formulas, and the reference's formula errors.
// Usage: node formula-mmr.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';
import { baseUrl, check, progress, rng, run } from './harness.mjs';

const url = baseUrl('formula-mmr.mjs');

const random = rng(29);
const vector = (dim) => Array.from({ length: dim }, () => Math.fround(random() * 2 - 1));
const count = 150;
const dense = Array.from({ length: count }, () => vector(6));
const target = vector(6);

const cosine = (x, y) => {
  let dot = 0, nx = 0, ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return dot / Math.sqrt(nx * ny);
};
const close = (a, b, tolerance) => Math.abs(a - b) <= tolerance;
const price = (id) => (id % 5 === 0 ? undefined : id % 17);
const city = (id) => ({ lon: 13.4 + (id % 10) * 0.01, lat: 52.5 + (id % 7) * 0.01 });

// Haversine distance in meters, with the mean Earth radius the reference uses.
function meters(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const collection = 'js_formula_mmr';

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });

  progress.step = 'create a collection';
  await client.createCollection(collection, { vectors: { size: 6, distance: 'Cosine' } });
  await client.upsert(collection, {
    wait: true,
    points: dense.map((v, id) => ({
      id,
      vector: v,
      payload: { ...(price(id) === undefined ? {} : { price: price(id) }), city: city(id), tag: id % 3 === 0 ? 'red' : 'blue' },
    })),
  });

  const near = dense.map((v, id) => ({ id, score: cosine(v, target) })).sort((a, b) => b.score - a.score || a.id - b.id);

  progress.step = 'formula: score, price with a default, a condition, a linear decay of the distance';
  const origin = { lon: 13.4, lat: 52.5 };
  const boosted = await client.query(collection, {
    prefetch: { query: target, limit: 50 },
    query: {
      formula: {
        sum: [
          '$score',
          { mult: [0.05, 'price'] },
          { mult: [0.5, { key: 'tag', match: { value: 'red' } }] },
          { lin_decay: { x: { geo_distance: { origin, to: 'city' } }, scale: 5000, midpoint: 0.2 } },
        ],
      },
      defaults: { price: 20 },
    },
    limit: 10,
  });
  const lambda = (1 - Math.fround(0.2)) / 5000;
  const expected = near.slice(0, 50).map(({ id, score }) => ({
    id,
    score: score + Math.fround(0.05) * (price(id) ?? 20) + (id % 3 === 0 ? 0.5 : 0)
      + Math.max(0, 1 - lambda * meters(origin, city(id))),
  })).sort((a, b) => b.score - a.score || a.id - b.id).slice(0, 10);
  check(JSON.stringify(boosted.points.map((p) => p.id)) === JSON.stringify(expected.map((p) => p.id)), 'the brute-force order', boosted.points);
  check(boosted.points.every((p, i) => close(p.score, expected[i].score, 1e-4)), 'the brute-force scores', boosted.points);

  progress.step = 'formula errors are the reference\'s';
  try {
    await client.query(collection, { prefetch: { query: target, limit: 50 }, query: { formula: { mult: ['$score', 'price'] } } });
    check(false, 'a missing price without a default is refused');
  } catch (e) {
    check(e.status === 400, 'a 400', e.status);
    check(e.data?.status?.error === 'Wrong input: Expected number value for price in the payload and/or in the formula defaults. Error: No value found in a payload nor defaults',
      'the reference\'s message', e.data?.status?.error);
  }

  try {
    await client.query(collection, { query: { formula: '$score' } });
    check(false, 'a formula without prefetch is refused');
  } catch (e) {
    check(e.data?.status?.error === 'Wrong input: Validation failed: cannot apply Formula without prefetches', 'the reference\'s message', e.data?.status?.error);
  }

  progress.step = 'mmr re-ranks the nearest candidates greedily';
  const diverse = await client.query(collection, { query: { nearest: target, mmr: { diversity: 0.7, candidates_limit: 40 } }, limit: 6, params: { exact: true } });
  const pool = near.slice(0, 40);
  const chosen = [];
  while (chosen.length < 6) {
    let best;
    for (const c of pool) {
      if (chosen.includes(c)) continue;
      const mmr = chosen.length === 0 ? c.score
        : 0.3 * c.score - 0.7 * Math.max(...chosen.map((s) => cosine(dense[c.id], dense[s.id])));
      if (best === undefined || mmr > best.mmr) best = { c, mmr };
    }
    chosen.push(best.c);
  }
  check(JSON.stringify(diverse.points.map((p) => p.id)) === JSON.stringify(chosen.map((c) => c.id)), 'the brute-force choice', diverse.points);
  check(diverse.points.every((p, i) => close(p.score, chosen[i].score, 1e-5)), 'nearest scores kept', diverse.points);

  progress.step = 'mmr with its defaults';
  const defaults = await client.query(collection, { query: { nearest: target, mmr: {} }, limit: 5 });
  check(defaults.points.length === 5 && defaults.points[0].id === near[0].id, 'the most relevant first', defaults.points);

  await client.deleteCollection(collection);
}

run(main, 'formula and mmr scenario passed');
