// The official JS client over https with an API key. Usage:
//   NODE_EXTRA_CA_CERTS=ca.pem node secure.mjs https://localhost:PORT API_KEY READ_ONLY_KEY
import { QdrantClient } from '@qdrant/js-client-rest';

const [url, apiKey, readOnlyKey] = process.argv.slice(2);
const fail = (message) => { console.error('FAIL: ' + message); process.exit(1); };

const client = new QdrantClient({ url, apiKey, checkCompatibility: false });
await client.createCollection('js_tls', { vectors: { size: 2, distance: 'Dot' } });
await client.upsert('js_tls', { wait: true, points: [{ id: 1, vector: [1, 0], payload: { a: 1 } }] });
const hits = await client.query('js_tls', { query: [1, 0], limit: 1 });
if (hits.points.length !== 1 || hits.points[0].id !== 1) fail('query over https returned ' + JSON.stringify(hits));

const reader = new QdrantClient({ url, apiKey: readOnlyKey, checkCompatibility: false });
const count = await reader.count('js_tls');
if (count.count !== 1) fail('read-only count returned ' + JSON.stringify(count));
try {
  await reader.deleteCollection('js_tls');
  fail('read-only key deleted a collection');
} catch (e) {
  if (e.status !== 403) fail('read-only delete: expected 403, got ' + (e.status ?? e));
}

const anonymous = new QdrantClient({ url, checkCompatibility: false });
try {
  await anonymous.getCollections();
  fail('no key listed collections');
} catch (e) {
  if (e.status !== 401) fail('no key: expected 401, got ' + (e.status ?? e));
}

console.log('ok');
