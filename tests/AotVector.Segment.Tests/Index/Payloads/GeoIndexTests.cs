using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Segment.Filters;
using AotVector.Segment.Index.Payloads;
using AotVector.Testing;

namespace AotVector.Segment.Tests.Index.Payloads;

/// <summary>
/// The geo index against a brute-force filter on seeded points: its candidates hold every match of each geo condition
/// (across the antimeridian, at the poles, with several points per payload), indexed and unindexed segments answer
/// alike through updates and a reopen, and the planner scans the index's candidates when they are few.
/// </summary>
public sealed class GeoIndexTests
{
    private static Payload GeoPayload(Random rng)
    {
        var count = rng.Next(5) switch { 0 => 0, 1 => 2, 2 => 3, _ => 1 };
        var points = Enumerable.Range(0, count).Select(_ => RandomPoint(rng)).ToList();
        var payload = new Payload();
        if (count == 1)
        {
            payload["g"] = points[0];
        }
        else if (count > 1)
        {
            payload["g"] = PayloadValue.FromArray(points);
        }

        return payload;
    }

    // Points clustered where covers are hard (antimeridian, poles, the origin) plus a few off the globe.
    private static PayloadValue RandomPoint(Random rng)
    {
        var (lon, lat) = rng.Next(6) switch
        {
            0 => (rng.NextDouble() < 0.5 ? 180 - (rng.NextDouble() * 3) : -180 + (rng.NextDouble() * 3), (rng.NextDouble() * 40) - 20),
            1 => ((rng.NextDouble() * 360) - 180, 90 - (rng.NextDouble() * 4)),
            2 => ((rng.NextDouble() * 360) - 180, -90 + (rng.NextDouble() * 4)),
            3 => ((rng.NextDouble() * 4) - 2, (rng.NextDouble() * 4) - 2),
            4 when rng.Next(10) == 0 => (rng.Next(2) == 0 ? 200.0 : -181.5, 10.0),
            _ => ((rng.NextDouble() * 360) - 180, (rng.NextDouble() * 180) - 90),
        };
        return Point(lon, lat);
    }

    private static PayloadValue Point(double lon, double lat) =>
        PayloadValue.FromObject(new Payload { ["lon"] = PayloadValue.FromDouble(lon), ["lat"] = PayloadValue.FromDouble(lat) });

    private static FieldCondition RandomCondition(Random rng)
    {
        GeoPoint Near()
        {
            var anchor = rng.Next(4) switch
            {
                0 => new GeoPoint(179.5, 0),
                1 => new GeoPoint(0, 88),
                2 => new GeoPoint(-120, -87),
                _ => new GeoPoint((rng.NextDouble() * 360) - 180, (rng.NextDouble() * 160) - 80),
            };
            return anchor;
        }

        switch (rng.Next(3))
        {
            case 0:
                var radius = rng.Next(3) switch { 0 => 50_000.0, 1 => 500_000.0, _ => 3_000_000.0 };
                return new FieldCondition("g", GeoRadius: new GeoRadius(Near(), radius * (0.5 + rng.NextDouble())));
            case 1:
                var center = Near();
                var halfLon = rng.NextDouble() * 20;
                var halfLat = rng.NextDouble() * 10;
                var left = center.Lon - halfLon < -180 ? center.Lon - halfLon + 360 : center.Lon - halfLon;
                var right = center.Lon + halfLon > 180 ? center.Lon + halfLon - 360 : center.Lon + halfLon;
                return new FieldCondition("g", GeoBoundingBox: new GeoBoundingBox(
                    new GeoPoint(left, Math.Min(90, center.Lat + halfLat)), new GeoPoint(right, Math.Max(-90, center.Lat - halfLat))));
            default:
                var c = Near();
                var size = 1 + (rng.NextDouble() * 15);
                GeoPoint[] ring = [new(c.Lon - size, c.Lat - size), new(c.Lon + size, c.Lat - (size / 2)), new(c.Lon, Math.Min(90, c.Lat + size)), new(c.Lon - size, c.Lat - size)];
                GeoPoint[] hole = [new(c.Lon - 0.5, c.Lat - 0.5), new(c.Lon + 0.5, c.Lat - 0.5), new(c.Lon, c.Lat + 0.5)];
                return new FieldCondition("g", GeoPolygon: new GeoPolygon(ring, rng.Next(2) == 0 ? [hole] : null));
        }
    }

    [Fact]
    public void Candidates_HoldEveryMatch_ForEachConditionKind()
    {
        var rng = new Random(230_001);
        var index = FieldIndex.Create("g", JsonPath.Parse("g").Value!, FieldIndexType.Geo);
        var payloads = new Payload[3000];
        for (var i = 0; i < payloads.Length; i++)
        {
            payloads[i] = GeoPayload(rng);
            index.Update((uint)i, payloads[i]);
        }

        var evaluator = new FilterEvaluator();
        var matchedKinds = new int[3];
        long candidatesTotal = 0, matchesTotal = 0;
        for (var q = 0; q < 300; q++)
        {
            var condition = RandomCondition(rng);
            var filter = new Filter(Must: [condition]);
            Assert.True(index.TryGetCandidates(condition, out var candidates));
            Assert.True(index.TryCount(condition, int.MaxValue - 1, out var counted));
            Assert.True(counted >= candidates.Count);
            var matches = 0;
            for (var i = 0; i < payloads.Length; i++)
            {
                if (evaluator.Matches(filter, PointId.FromNum((ulong)i), payloads[i], static _ => true))
                {
                    matches++;
                    Assert.True(candidates.Contains((uint)i), $"query {q} (radius {condition.GeoRadius is not null}, box {condition.GeoBoundingBox is not null}): point {i} matches but is no candidate");
                }
            }

            matchedKinds[condition.GeoRadius is not null ? 0 : condition.GeoBoundingBox is not null ? 1 : 2] += matches > 0 ? 1 : 0;
            candidatesTotal += candidates.Count;
            matchesTotal += matches;
        }

        Assert.All(matchedKinds, n => Assert.True(n > 20, $"matching queries per kind: {string.Join(", ", matchedKinds)}"));

        // The cover narrows: candidates stay within a small factor of the matches, far below all points.
        Assert.True(candidatesTotal < matchesTotal * 4, $"{candidatesTotal} candidates for {matchesTotal} matches");
    }

    [Fact]
    public void Candidates_AcrossAntimeridianAndPole()
    {
        var index = FieldIndex.Create("g", JsonPath.Parse("g").Value!, FieldIndexType.Geo);
        index.Update(0, new Payload { ["g"] = Point(179.9, 0) });
        index.Update(1, new Payload { ["g"] = Point(-179.9, 0) });
        index.Update(2, new Payload { ["g"] = Point(0, 0) });
        index.Update(3, new Payload { ["g"] = Point(90, 89.9) });
        index.Update(4, new Payload { ["g"] = PayloadValue.FromArray([Point(-90, 89.95), Point(10, 10)]) });

        uint[] Of(FieldCondition c)
        {
            Assert.True(index.TryGetCandidates(c, out var set));
            return [.. set.Order()];
        }

        // 50 km around the antimeridian reaches both sides and nothing else.
        Assert.Equal([0u, 1u], Of(new FieldCondition("g", GeoRadius: new GeoRadius(new GeoPoint(180, 0), 50_000))));
        Assert.Equal([0u, 1u], Of(new FieldCondition("g", GeoBoundingBox: new GeoBoundingBox(new GeoPoint(179, 1), new GeoPoint(-179, -1)))));

        // A circle around the north pole holds every longitude near it.
        Assert.Equal([3u, 4u], Of(new FieldCondition("g", GeoRadius: new GeoRadius(new GeoPoint(0, 89.99), 30_000))));
        Assert.Equal([2u], Of(new FieldCondition("g", GeoPolygon: new GeoPolygon([new(-1, -1), new(1, -1), new(0, 1)], null))));
    }

    /// <summary>Indexed and unindexed segments must select the same points, through updates and a reopen.</summary>
    [Fact]
    public void Select_IndexedEqualsUnindexed_ThroughUpdatesAndReopen()
    {
        using var dirA = new TempDirectory("geo-a");
        using var dirB = new TempDirectory("geo-b");
        var specs = new Dictionary<string, VectorSpec> { [""] = new(2, Distance.Dot) };
        var plain = PointSegment.Create(dirA.Path, specs);
        var indexed = PointSegment.Create(dirB.Path, specs);
        try
        {
            indexed.CreateFieldIndex("g", FieldIndexType.Geo);
            var rng = new Random(230_002);
            var version = 0ul;
            void Round()
            {
                for (var k = 0; k < 300; k++)
                {
                    var id = (ulong)rng.Next(500);
                    var v = ++version;
                    var payload = GeoPayload(rng);
                    var delete = rng.Next(6) == 0;
                    foreach (var s in new[] { plain, indexed })
                    {
                        if (delete)
                        {
                            s.Delete(v, id);
                        }
                        else
                        {
                            s.Upsert(v, id, new Dictionary<string, VectorData> { [""] = (float[])[1, 0] }, payload);
                        }
                    }
                }

                for (var q = 0; q < 80; q++)
                {
                    var filter = new Filter(Must: [RandomCondition(rng)]);
                    Assert.Equal(plain.Select(filter).ToList(), indexed.Select(filter).ToList());
                    Assert.Equal(plain.Count(filter), indexed.Count(filter));
                }
            }

            Round();
            Round();
            indexed.Flush(version);
            indexed.Dispose();
            indexed = PointSegment.Open(dirB.Path);
            Assert.Equal(FieldIndexType.Geo, indexed.FieldIndexes["g"].Type);
            Round();
        }
        finally
        {
            plain.Dispose();
            indexed.Dispose();
        }
    }

    [Fact]
    public void Plan_SelectiveGeoCondition_ScansIndexCandidates()
    {
        const int dim = 8;
        using var dir = new TempDirectory("geo-plan");
        using var segment = PointSegment.Create(dir.Combine("s"), new Dictionary<string, VectorSpec> { [""] = new(dim, Distance.Euclid) });
        var vectors = SeededRandom.Vectors(230, 4000, dim);
        var rng = new Random(230_003);
        for (var i = 0; i < 4000; i++)
        {
            // Every 100th point is in Paris, the rest spread over the world away from it.
            var point = i % 100 == 0
                ? Point(2.35 + (rng.NextDouble() * 0.1), 48.85 + (rng.NextDouble() * 0.1))
                : Point((rng.NextDouble() * 300) - 170, (rng.NextDouble() * 60) - 30);
            segment.Upsert(1, PointId.FromNum((ulong)i), new Dictionary<string, VectorData> { [""] = vectors[i] }, new Payload { ["g"] = point });
        }

        var job = segment.PrepareIndexBuild("", new IndexingPolicy(1, 16, 100))!;
        job.Run(1, default);
        segment.InstallIndex(job);

        var options = new SegmentSearchOptions(Ef: 64, FullScanThresholdKb: 4);
        var paris = new Filter(Must: [new FieldCondition("g", GeoRadius: new GeoRadius(new GeoPoint(2.4, 48.9), 30_000))]);
        var wide = new Filter(Must: [new FieldCondition("g", GeoBoundingBox: new GeoBoundingBox(new GeoPoint(-170, 30), new GeoPoint(130, -30)))]);
        Assert.Equal(SearchPlan.FilteredScan, segment.PlanFor("", paris, options));
        var unindexed = segment.Search("", vectors[1], paris, 10, options);

        segment.CreateFieldIndex("g", FieldIndexType.Geo);
        Assert.Equal(SearchPlan.IndexedScan, segment.PlanFor("", paris, options));
        Assert.Equal(SearchPlan.GraphFiltered, segment.PlanFor("", wide, options));
        var found = segment.Search("", vectors[1], paris, 10, options);
        Assert.Equal(10, found.Count);
        Assert.All(found, h => Assert.Equal(0ul, h.Id.Num % 100));
        Assert.Equal(unindexed.Select(h => h.Id), found.Select(h => h.Id));
    }
}
