// Drives an AotVector server with the official Qdrant JS REST client (@qdrant/js-client-rest 1.19.0).
// Usage: node scenario.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches Qdrant's behaviour; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';

const url = process.argv[2];
if (!url) {
  console.error('usage: node scenario.mjs <base-url>');
  process.exit(2);
}

// The client's constructor checks the server version in the background and only warns; record the warnings.
const warnings = [];
const originalWarn = console.warn;
console.warn = (...args) => {
  warnings.push(args.map(String).join(' '));
  originalWarn(...args);
};

let step = 'start';
function check(condition, message, actual) {
  if (!condition) {
    const detail = actual === undefined ? '' : `\n  actual: ${JSON.stringify(actual, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
    throw new Error(`[${step}] ${message}${detail}`);
  }
}

function sameIds(points, expected) {
  return JSON.stringify(points.map((p) => p.id)) === JSON.stringify(expected);
}

function near(a, b, eps = 1e-3) {
  return Math.abs(a - b) <= eps;
}

const collection = 'js_client_scenario';
const cities = ['Berlin', 'London', 'Moscow', 'New York', 'Beijing', 'Mumbai'];
const vectors = [
  [0.05, 0.61, 0.76, 0.74],
  [0.19, 0.81, 0.75, 0.11],
  [0.36, 0.55, 0.47, 0.94],
  [0.18, 0.01, 0.85, 0.8],
  [0.24, 0.18, 0.22, 0.44],
  [0.35, 0.08, 0.11, 0.44],
];
const uuid = '5c56c793-69f3-4fbf-87e6-c4bf54c28c26';

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: true });

  step = 'versionInfo';
  const version = await client.versionInfo();
  check(version.title === 'qdrant - vector search engine', 'GET / title', version);
  const [major, minor] = String(version.version).split('.').map(Number);
  check(major === 1 && Math.abs(minor - 19) <= 1, 'server version compatible with client 1.19.0', version);

  step = 'collectionExists (before)';
  check((await client.collectionExists(collection)).exists === false, 'fresh server has no collection');

  step = 'createCollection';
  check((await client.createCollection(collection, { vectors: { size: 4, distance: 'Dot' } })) === true, 'createCollection returns true');

  step = 'upsert';
  const upsert = await client.upsert(collection, {
    wait: true,
    points: vectors.map((vector, i) => ({ id: i + 1, vector, payload: { city: cities[i], rank: i + 1 } })),
  });
  check(upsert.status === 'completed', 'upsert with wait=true completes', upsert);
  const upsertUuid = await client.upsert(collection, { points: [{ id: uuid, vector: [0, 0, 0, 0.01], payload: { city: 'Nowhere' } }] });
  check(upsertUuid.status === 'completed', 'upsert defaults to wait=true', upsertUuid);

  step = 'query';
  const nearest = await client.query(collection, { query: [0.2, 0.1, 0.9, 0.7], limit: 3, with_payload: true });
  check(sameIds(nearest.points, [4, 1, 3]), 'nearest ids are [4, 1, 3]', nearest);
  check(near(nearest.points[0].score, 1.362) && near(nearest.points[1].score, 1.273) && near(nearest.points[2].score, 1.208), 'Dot scores', nearest);
  check(nearest.points[0].payload.city === 'New York', 'payload returned', nearest);

  step = 'query with filter';
  const london = await client.query(collection, {
    query: [0.2, 0.1, 0.9, 0.7],
    filter: { must: [{ key: 'city', match: { value: 'London' } }] },
    limit: 3,
    with_payload: true,
  });
  check(sameIds(london.points, [2]), 'filtered query returns only London', london);

  step = 'query by id';
  const byId = await client.query(collection, { query: 4, limit: 2 });
  check(byId.points.length === 2 && byId.points.every((p) => p.id !== 4), 'query by point id excludes that point', byId);

  step = 'queryBatch';
  const batch = await client.queryBatch(collection, {
    searches: [
      { query: [0.2, 0.1, 0.9, 0.7], limit: 1 },
      { query: [0.2, 0.1, 0.9, 0.7], limit: 1, filter: { must: [{ key: 'city', match: { value: 'Moscow' } }] } },
    ],
  });
  check(batch.length === 2 && sameIds(batch[0].points, [4]) && sameIds(batch[1].points, [3]), 'queryBatch answers each search', batch);

  step = 'scroll';
  const page1 = await client.scroll(collection, { limit: 4, filter: { must: [{ key: 'rank', range: { gte: 1 } }] } });
  check(sameIds(page1.points, [1, 2, 3, 4]), 'first page ids', page1);
  check(page1.next_page_offset === 5, 'next_page_offset is the next id', page1);
  check(page1.points[0].payload?.city === 'Berlin' && page1.points[0].vector === undefined, 'scroll defaults: payload yes, vector no', page1);
  const page2 = await client.scroll(collection, { limit: 4, offset: page1.next_page_offset, filter: { must: [{ key: 'rank', range: { gte: 1 } }] } });
  check(sameIds(page2.points, [5, 6]) && page2.next_page_offset == null, 'last page', page2);
  const withUuid = await client.scroll(collection, { limit: 100, with_payload: false });
  check(withUuid.points.length === 7 && withUuid.points.some((p) => p.id === uuid), 'UUID point comes back hyphenated lowercase', withUuid);

  step = 'count';
  check((await client.count(collection)).count === 7, 'exact count of all points');
  check((await client.count(collection, { filter: { must: [{ key: 'rank', range: { lte: 2 } }] } })).count === 2, 'count with filter');

  step = 'retrieve';
  const records = await client.retrieve(collection, { ids: [1, 6, uuid], with_vector: true });
  check(records.length === 3, 'retrieve returns the three points', records);
  const six = records.find((r) => r.id === 6);
  check(six?.payload?.city === 'Mumbai' && Array.isArray(six.vector) && near(six.vector[3], 0.44, 1e-6), 'retrieve payload and vector', records);

  step = 'setPayload';
  const setPayload = await client.setPayload(collection, { payload: { visited: true }, points: [1, 2] });
  check(setPayload.status === 'completed', 'setPayload waits by default', setPayload);
  const visited = await client.retrieve(collection, { ids: [1] });
  check(visited[0].payload.visited === true && visited[0].payload.city === 'Berlin', 'set merges into the payload', visited);
  check((await client.count(collection, { filter: { must: [{ key: 'visited', match: { value: true } }] } })).count === 2, 'filter on new payload');

  step = 'createPayloadIndex';
  await client.createPayloadIndex(collection, { field_name: 'city', field_schema: 'keyword', wait: true });

  step = 'delete by filter';
  const deleted = await client.delete(collection, { wait: true, filter: { must: [{ key: 'city', match: { any: ['Mumbai', 'Nowhere'] } }] } });
  check(deleted.status === 'completed', 'delete with wait=true completes', deleted);
  check((await client.count(collection)).count === 5, 'two points deleted');
  const gone = await client.retrieve(collection, { ids: [6] });
  check(gone.length === 0, 'deleted point is gone', gone);

  step = 'getCollection';
  const info = await client.getCollection(collection);
  check(info.status === 'green', 'status green', info);
  check(info.points_count === 5, 'points_count', info);
  check(info.config.params.vectors.size === 4 && info.config.params.vectors.distance === 'Dot', 'vector params', info);
  check(info.payload_schema.city?.data_type === 'keyword', 'payload_schema shows the index', info);

  step = 'getCollections';
  const list = await client.getCollections();
  check(list.collections.some((c) => c.name === collection), 'collection is listed', list);

  step = 'collectionExists';
  check((await client.collectionExists(collection)).exists === true, 'collection exists');

  step = 'error mapping';
  let threw = false;
  try {
    await client.upsert(collection, { points: [{ id: 100, vector: [1, 2, 3] }] });
  } catch (e) {
    threw = true;
    check(e.status === 400, 'wrong dimension is HTTP 400', { status: e.status, data: e.data });
    check(String(e.data?.status?.error ?? '').includes('Vector dimension error: expected dim: 4, got 3'), 'error body names the dimension problem', e.data);
  }
  check(threw, 'wrong dimension throws');

  step = 'deleteCollection';
  check((await client.deleteCollection(collection)) === true, 'deleteCollection returns true');
  check((await client.collectionExists(collection)).exists === false, 'collection no longer exists');

  step = 'version check';
  const compat = warnings.filter((w) => w.includes('incompatible') || w.includes('Failed to obtain server version'));
  check(compat.length === 0, 'no compatibility warning from the client', compat);
}

main().then(
  () => {
    console.log('js client scenario passed');
    process.exit(0);
  },
  (e) => {
    const data = e?.data === undefined ? '' : `\n  response body: ${JSON.stringify(e.data)}`;
    console.error(`js client scenario FAILED at ${step}: ${e?.stack ?? e}${data}`);
    process.exit(1);
  },
);
