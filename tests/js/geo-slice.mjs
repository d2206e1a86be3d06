// The geo index and the slice condition through the official Qdrant JS REST client (@qdrant/js-client-rest 1.19.0):
// geo_radius, geo_bounding_box and geo_polygon filters over an indexed `geo` field, each checked against a brute-force
// computation here; slices that split the points into disjoint parts that cover them all; and the reference's
// refusals of a slice index past its total (422) and of a total of 0 (400).
// Usage: node geo-slice.mjs http://127.0.0.1:6333
// Exit code 0 when every step matches; 1 with a message naming the failing step otherwise.
import { QdrantClient } from '@qdrant/js-client-rest';
import { baseUrl, check, progress, rng, run } from './harness.mjs';

const url = baseUrl('geo-slice.mjs');
const earthRadius = 6371008.8; // metres, the mean radius the reference's haversine uses

function haversine(a, b) {
  const rad = (d) => (d * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadius * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Ray casting over one closed ring (lon as x, lat as y); small rings away from the poles and the antimeridian.
function inRing(ring, p) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [a, b] = [ring[i], ring[j]];
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }

  return inside;
}

async function main() {
  const client = new QdrantClient({ url, checkCompatibility: false });
  const collection = 'js_geo_slice';
  const next = rng(23);

  progress.step = 'create collection, points and geo index';
  await client.createCollection(collection, { vectors: { size: 2, distance: 'Dot' } });
  const points = Array.from({ length: 400 }, (_, i) => {
    const location = { lon: -10 + 40 * next(), lat: 35 + 25 * next() };
    return { id: i + 1, vector: [1, 0], payload: i % 10 === 9 ? { other: i } : { location } };
  });
  await client.upsert(collection, { wait: true, points });
  await client.createPayloadIndex(collection, { field_name: 'location', field_schema: 'geo', wait: true });
  const info = await client.getCollection(collection);
  check(info.payload_schema.location?.data_type === 'geo', 'geo index listed', info.payload_schema);

  const located = points.filter((p) => p.payload.location);
  const ids = async (condition) => {
    const page = await client.scroll(collection, { filter: { must: [{ key: 'location', ...condition }] }, limit: 1000 });
    return JSON.stringify(page.points.map((p) => p.id).sort((a, b) => a - b));
  };
  const expect = (keep) => JSON.stringify(located.filter((p) => keep(p.payload.location)).map((p) => p.id));

  progress.step = 'geo_radius';
  for (const [center, radius] of [[{ lon: 2.35, lat: 48.86 }, 500_000], [{ lon: 13.4, lat: 52.52 }, 250_000], [{ lon: 0, lat: 0 }, 1000]]) {
    const want = expect((l) => haversine(center, l) < radius);
    check(await ids({ geo_radius: { center, radius } }) === want, `radius ${radius} m around ${JSON.stringify(center)}`, want);
  }

  progress.step = 'geo_bounding_box';
  const box = { top_left: { lon: 0, lat: 55 }, bottom_right: { lon: 15, lat: 45 } };
  const inBox = expect((l) => l.lon >= 0 && l.lon <= 15 && l.lat >= 45 && l.lat <= 55);
  check(await ids({ geo_bounding_box: box }) === inBox, 'points inside the box', inBox);
  const count = await client.count(collection, { filter: { must: [{ key: 'location', geo_bounding_box: box }] }, exact: true });
  check(count.count === JSON.parse(inBox).length, 'exact count agrees', count);

  progress.step = 'geo_polygon';
  const exterior = [{ lon: -5, lat: 40 }, { lon: 20, lat: 38 }, { lon: 25, lat: 55 }, { lon: 0, lat: 58 }, { lon: -5, lat: 40 }];
  const hole = [{ lon: 5, lat: 45 }, { lon: 12, lat: 45 }, { lon: 12, lat: 50 }, { lon: 5, lat: 50 }, { lon: 5, lat: 45 }];
  const inPolygon = expect((l) => inRing(exterior, l) && !inRing(hole, l));
  check(await ids({ geo_polygon: { exterior: { points: exterior }, interiors: [{ points: hole }] } }) === inPolygon, 'inside the ring, outside the hole', inPolygon);

  progress.step = 'slice';
  const slice = async (total, index, clause = 'must') => {
    const page = await client.scroll(collection, { filter: { [clause]: [{ slice: { total, index } }] }, limit: 1000 });
    return page.points.map((p) => p.id);
  };
  const seen = new Set();
  for (let index = 0; index < 3; index++) {
    const part = await slice(3, index);
    check(part.length > 60, `slice ${index} of 3 holds about a third`, part.length);
    for (const id of part) {
      check(!seen.has(id), 'slices are disjoint', id);
      seen.add(id);
    }
  }

  check(seen.size === points.length, 'slices cover every point', seen.size);
  check((await slice(1, 0)).length === points.length, 'one slice is everything');
  const first = new Set(await slice(4, 0));
  const rest = await slice(4, 0, 'must_not');
  check(rest.length === points.length - first.size && rest.every((id) => !first.has(id)), 'must_not is the complement');
  check([...first].every((id) => seen.has(id)) && (await slice(2, 0)).filter((id) => first.has(id)).length === first.size,
    'slice 0 of 4 lies inside slice 0 of 2');

  progress.step = 'invalid slices';
  const refusal = async (body) => {
    try {
      await client.scroll(collection, { filter: { must: [{ slice: body }] }, limit: 1 });
    } catch (e) {
      return { status: e.status, error: e.data?.status?.error };
    }

    return null;
  };
  const past = await refusal({ total: 4, index: 4 });
  check(past?.status === 422, 'an index past the total fails validation', past);
  check(String(past.error).startsWith('Validation error in JSON body: [') && past.error.includes('Slice index must be less than the total number of slices'),
    'in the validation wrapper', past);
  const zero = await refusal({ total: 0, index: 0 });
  check(zero?.status === 400, 'a total of 0 does not read', zero);

  await client.deleteCollection(collection);
}

run(main, 'geo and slice scenario passed');
