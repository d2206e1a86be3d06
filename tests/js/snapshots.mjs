// Snapshots through the official Qdrant JS REST client (@qdrant/js-client-rest 1.19.0): collection, full and shard
// snapshots created, listed, recovered from a file:// location and deleted.
// Usage: node snapshots.mjs http://127.0.0.1:6333 <server working directory>
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { QdrantClient } from '@qdrant/js-client-rest';

const [url, workDir] = process.argv.slice(2);
if (!url || !workDir) {
  console.error('usage: node snapshots.mjs <base-url> <server working directory>');
  process.exit(2);
}

let step = 'start';
function check(condition, message, actual) {
  if (!condition) {
    const detail = actual === undefined ? '' : `\n  actual: ${JSON.stringify(actual)}`;
    throw new Error(`[${step}] ${message}${detail}`);
  }
}

const collection = 'js_snapshots';

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });

  step = 'seed';
  await client.createCollection(collection, { vectors: { size: 2, distance: 'Dot' } });
  await client.upsert(collection, { wait: true, points: [{ id: 1, vector: [1, 0] }, { id: 2, vector: [0, 1] }] });

  step = 'createSnapshot';
  const created = await client.createSnapshot(collection);
  check(created && created.name.endsWith('.snapshot'), 'a description with a .snapshot name', created);
  check(created.size > 0 && /^[0-9a-f]{64}$/.test(created.checksum), 'size and sha256 checksum', created);

  step = 'createSnapshot wait=false';
  // The server answers 202 "accepted" as the reference does; this client version reports that as an unexpected response.
  let acceptedStatus = 0;
  try {
    await client.createSnapshot(collection, { wait: false });
    acceptedStatus = 200;
  } catch (e) {
    acceptedStatus = /Unexpected Response: 202\b/.test(String(e.message)) ? 202 : (e.status ?? -1);
  }
  check(acceptedStatus === 202, 'wait=false is answered 202', acceptedStatus);

  step = 'listSnapshots';
  const listed = await client.listSnapshots(collection);
  check(listed.some((d) => d.name === created.name), 'the created snapshot is listed', listed);

  step = 'recoverSnapshot';
  await client.upsert(collection, { wait: true, points: [{ id: 3, vector: [1, 1] }] });
  const location = pathToFileURL(path.join(workDir, 'snapshots', collection, created.name)).href;
  check((await client.recoverSnapshot(collection, { location, checksum: created.checksum })) === true, 'recover answers true');
  const { count } = await client.count(collection, { exact: true });
  check(count === 2, 'the point written after the snapshot is gone', count);

  step = 'deleteSnapshot';
  check((await client.deleteSnapshot(collection, created.name)) === true, 'delete answers true');
  check(!(await client.listSnapshots(collection)).some((d) => d.name === created.name), 'deleted snapshot not listed');

  step = 'full snapshots';
  const full = await client.createFullSnapshot();
  check((await client.listFullSnapshots()).some((d) => d.name === full.name), 'full snapshot listed');
  check((await client.deleteFullSnapshot(full.name)) === true, 'full delete answers true');

  step = 'shard snapshots';
  const shard = await client.createShardSnapshot(collection, 0, { wait: true });
  check((await client.listShardSnapshots(collection, 0)).some((d) => d.name === shard.name), 'shard snapshot listed');
  check((await client.recoverShardFromSnapshot(collection, 0, { wait: true, location: shard.name })) === true, 'shard recover answers true');
  check((await client.deleteShardSnapshot(collection, 0, shard.name, { wait: true })) === true, 'shard delete answers true');

  step = 'missing snapshot';
  let status = 0;
  try {
    await client.deleteSnapshot(collection, 'missing.snapshot');
  } catch (e) {
    status = e.status;
  }
  check(status === 404, 'deleting a missing snapshot is 404', status);

  console.log('snapshots: ok');
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});
