// The full-text index and server-side BM25 documents through the official Qdrant JS REST client
// (@qdrant/js-client-rest 1.19.0): a text index with stemming, stop words and phrase matching, token filters, and
// a sparse vector given as a { text, model: 'qdrant/bm25' } document in upserts and queries.
// Usage: node full-text.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';
import { baseUrl, check, progress, run } from './harness.mjs';

const url = baseUrl('full-text.mjs');

const texts = [
  'The quick brown fox jumps over the lazy dog',
  'Foxes are running in the forest',
  'A lazy afternoon with a good book',
  'dogma and doctrine',
];

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });
  const collection = 'js_full_text';

  progress.step = 'create collection and text index';
  await client.createCollection(collection, {
    vectors: { dense: { size: 2, distance: 'Dot' } },
    sparse_vectors: { bm25: { modifier: 'idf' } },
  });
  await client.createPayloadIndex(collection, {
    field_name: 'body',
    field_schema: {
      type: 'text',
      tokenizer: 'word',
      phrase_matching: true,
      stopwords: 'english',
      stemmer: { type: 'snowball', language: 'english' },
    },
    wait: true,
  });

  progress.step = 'upsert documents';
  await client.upsert(collection, {
    wait: true,
    points: texts.map((text, i) => ({
      id: i + 1,
      vector: { dense: [1, 0], bm25: { text, model: 'qdrant/bm25' } },
      payload: { body: text },
    })),
  });

  progress.step = 'token filters';
  const ids = async (match) => {
    const page = await client.scroll(collection, { filter: { must: [{ key: 'body', match }] }, limit: 10 });
    return page.points.map((p) => p.id).sort((a, b) => a - b);
  };
  check(JSON.stringify(await ids({ text: 'FOX' })) === '[1,2]', 'text matches stems, any case');
  check(JSON.stringify(await ids({ text_any: 'run lazy' })) === '[1,2,3]', 'text_any');
  check(JSON.stringify(await ids({ phrase: 'lazy dog' })) === '[1]', 'phrase in order');
  check(JSON.stringify(await ids({ phrase: 'dog lazy' })) === '[]', 'phrase out of order');

  progress.step = 'stored BM25 vector';
  const [point] = await client.retrieve(collection, { ids: [2], with_vector: true });
  check(point.vector.bm25.indices.length === 3, 'fox, run, forest (stop words dropped)', point.vector);

  progress.step = 'query by a document';
  const result = await client.query(collection, { query: { text: 'lazy dogs', model: 'qdrant/bm25' }, using: 'bm25', limit: 10 });
  check(JSON.stringify(result.points.map((p) => p.id)) === '[1,3]', 'both terms first, then one', result.points);

  progress.step = 'German stop words and stemmer';
  await client.upsert(collection, {
    wait: true,
    points: [
      { id: 11, vector: { dense: [1, 0] }, payload: { de: 'Die Häuser der Stadt' } },
      { id: 12, vector: { dense: [1, 0] }, payload: { de: 'Ein Haus am See' } },
    ],
  });
  await client.createPayloadIndex(collection, {
    field_name: 'de',
    field_schema: { type: 'text', stopwords: 'german', stemmer: { type: 'snowball', language: 'de' } },
    wait: true,
  });
  const german = async (text) => {
    const page = await client.scroll(collection, { filter: { must: [{ key: 'de', match: { text } }] }, limit: 10 });
    return JSON.stringify(page.points.map((p) => p.id).sort((a, b) => a - b));
  };
  check(await german('Hauses') === '[11,12]', 'häuser, haus and hauses share the stem haus');
  check(await german('der See') === '[12]', 'der is a German stop word');

  progress.step = 'collection info';
  const info = await client.getCollection(collection);
  check(info.payload_schema.body.data_type === 'text', 'text index listed', info.payload_schema);
  check(info.payload_schema.body.params.stemmer.language === 'english', 'params shown', info.payload_schema);

  await client.deleteCollection(collection);
}

run(main, 'full-text scenario passed');
