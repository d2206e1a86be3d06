using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Kernels.Distance;
using AotVector.Testing;

namespace AotVector.Segment.Tests;

public sealed class PointSegmentTests
{
    private static Dictionary<string, VectorData> V(float[] v) => new() { [""] = v };

    private static PointSegment CreateSingle(TempDirectory dir, int dim = 4, Distance distance = Distance.Dot) =>
        PointSegment.Create(dir.Path, new Dictionary<string, VectorSpec> { [""] = new(dim, distance) });

    private static double Oracle(Distance distance, float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0, l2 = 0, l1 = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
            l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
        }

        return distance switch
        {
            Distance.Cosine => dot / Math.Sqrt(na * nb),
            Distance.Euclid => -l2,
            Distance.Dot => dot,
            Distance.Manhattan => -l1,
        };
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Manhattan)]
    public void Search_MatchesBruteForce(Distance distance)
    {
        using var dir = new TempDirectory("seg");
        const int dim = 19;
        using var segment = CreateSingle(dir, dim, distance);
        var data = SeededRandom.Vectors(seed: 42 + (int)distance, count: 700, dim);
        for (var i = 0; i < data.Length; i++)
        {
            segment.Upsert((ulong)i + 1, (ulong)i, V(data[i]), null);
        }

        var rng = new Random(9);
        for (var q = 0; q < 10; q++)
        {
            var query = SeededRandom.Vector(rng, dim);
            var hits = segment.Search("", Prepared(distance, query), null, 10, null);
            var expected = Enumerable.Range(0, data.Length)
                .Select(i => (Id: (ulong)i, Score: Oracle(distance, query, data[i])))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(10).ToList();
            Assert.Equal(10, hits.Count);
            for (var k = 0; k < 10; k++)
            {
                Assert.Equal(expected[k].Score, hits[k].Score, 1e-3 * Math.Max(1, Math.Abs(expected[k].Score)));
            }

            // Ids agree except where neighbouring scores are within float noise.
            Assert.True(expected.Select(e => e.Id).Intersect(hits.Select(h => h.Id.Num)).Count() >= 9);
            for (var k = 1; k < hits.Count; k++)
            {
                Assert.True(hits[k - 1].Score >= hits[k].Score);
            }
        }
    }

    [Fact]
    public void Search_EuclidScoreIsNegatedSquaredDistance()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2, Distance.Euclid);
        segment.Upsert(1, 1ul, V([3, 4]), null);
        var hit = Assert.Single(segment.Search("", new float[] { 0, 0 }, null, 5, null));
        Assert.Equal(-25f, hit.Score, 1e-5);
    }

    [Fact]
    public void Search_CosineNormalizesStoredCopy_CallerArraysUntouched()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2, Distance.Cosine);
        float[] vector = [3, 4];
        segment.Upsert(1, 1ul, V(vector), null);
        Assert.Equal([3f, 4f], vector);
        Assert.True(segment.TryGetPoint(1ul, false, null, out _, out var vectors, out _));
        Assert.Equal(0.6f, ((DenseVector)vectors![""]).Values[0], 1e-6);
        Assert.Equal(0.8f, ((DenseVector)vectors[""]).Values[1], 1e-6);
        float[] query = [0.6f, 0.8f];
        var hit = Assert.Single(segment.Search("", query, null, 1, null));
        Assert.Equal(1f, hit.Score, 1e-5);
        Assert.Equal([0.6f, 0.8f], query);
    }

    // Search takes queries preprocessed for the metric, as the engine prepares them.
    private static float[] Prepared(Distance distance, float[] query)
    {
        var copy = (float[])query.Clone();
        DistanceKernels.Preprocess(distance, copy);
        return copy;
    }

    [Fact]
    public void Search_TiesBrokenBySmallerId_AndLimit()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2);
        segment.Upsert(1, 5ul, V([1, 0]), null);
        segment.Upsert(2, 3ul, V([1, 0]), null);
        segment.Upsert(3, 4ul, V([0.5f, 0]), null);
        segment.Upsert(4, 9ul, V([2, 0]), null);
        var hits = segment.Search("", new float[] { 1, 0 }, null, 3, null);
        Assert.Equal([9ul, 3ul, 5ul], hits.Select(h => h.Id.Num));
        Assert.Empty(segment.Search("", new float[] { 1, 0 }, null, 0, null));
        Assert.Equal(4ul, hits[0].Version);
    }

    [Fact]
    public void Search_Filtered_MatchesBruteForce()
    {
        using var dir = new TempDirectory("seg");
        const int dim = 8;
        using var segment = CreateSingle(dir, dim, Distance.Cosine);
        var data = SeededRandom.Vectors(seed: 3, count: 300, dim);
        for (var i = 0; i < data.Length; i++)
        {
            segment.Upsert((ulong)i + 1, (ulong)i, V(data[i]), new Payload { ["group"] = PayloadValue.FromInteger(i % 7), ["tag"] = PayloadValue.FromString(i % 2 == 0 ? "even" : "odd") });
        }

        var filter = new Filter(Must: [new FieldCondition("group", Match: new MatchAny(null, [1, 3]))], MustNot: [new FieldCondition("tag", Match: new MatchValue(PayloadValue.FromString("odd")))]);
        var query = SeededRandom.Vector(new Random(1), dim);
        var expected = Enumerable.Range(0, data.Length).Where(i => (i % 7 is 1 or 3) && i % 2 == 0)
            .OrderByDescending(i => Oracle(Distance.Cosine, query, data[i])).Take(5).Select(i => (ulong)i).ToList();

        Assert.Equal(expected, segment.Search("", query, filter, 5, null).Select(h => h.Id.Num));
        segment.CreateFieldIndex("group", FieldIndexType.Integer);
        Assert.Equal(expected, segment.Search("", query, filter, 5, null).Select(h => h.Id.Num));
    }

    [Fact]
    public void Search_SkipsPointsWithoutThatVector_AndDeleted()
    {
        using var dir = new TempDirectory("seg");
        using var segment = PointSegment.Create(dir.Path, new Dictionary<string, VectorSpec> { ["a"] = new(2, Distance.Dot), ["b"] = new(3, Distance.Euclid) });
        segment.Upsert(1, 1ul, new Dictionary<string, VectorData> { ["a"] = (float[])[1, 0] }, null);
        segment.Upsert(2, 2ul, new Dictionary<string, VectorData> { ["a"] = (float[])[1, 1], ["b"] = (float[])[0, 0, 0] }, null);
        segment.Upsert(3, 3ul, new Dictionary<string, VectorData> { ["b"] = (float[])[1, 1, 1] }, null);
        Assert.Equal([2ul, 1ul], segment.Search("a", new float[] { 1, 1 }, null, 10, null).Select(h => h.Id.Num));
        Assert.Equal([2ul, 3ul], segment.Search("b", new float[] { 0, 0, 0 }, null, 10, null).Select(h => h.Id.Num));
        Assert.Equal(2ul, segment.VectorCount("a"));
        segment.Delete(4, 2ul);
        Assert.Equal([1ul], segment.Search("a", new float[] { 1, 1 }, null, 10, null).Select(h => h.Id.Num));
        Assert.Equal([1ul], segment.Search("a", new float[] { 1, 1 }, new Filter(), 10, null).Select(h => h.Id.Num));
        Assert.Equal(1ul, segment.VectorCount("a"));
        Assert.Throws<ArgumentException>(() => segment.Search("c", new float[] { 1 }, null, 1, null));
        Assert.Throws<ArgumentException>(() => segment.Search("a", new float[] { 1 }, null, 1, null));
    }

    [Fact]
    public void Upsert_ReplacesWholePoint()
    {
        using var dir = new TempDirectory("seg");
        using var segment = PointSegment.Create(dir.Path, new Dictionary<string, VectorSpec> { ["a"] = new(2, Distance.Dot), ["b"] = new(2, Distance.Dot) });
        segment.Upsert(1, 1ul, new Dictionary<string, VectorData> { ["a"] = (float[])[1, 2], ["b"] = (float[])[3, 4] }, Json.Obj("""{"x":1}"""));
        segment.Upsert(2, 1ul, new Dictionary<string, VectorData> { ["a"] = (float[])[5, 6] }, null);
        Assert.True(segment.TryGetPoint(1ul, true, null, out var payload, out var vectors, out var version));
        Assert.Equal(2ul, version);
        Assert.Empty(payload!.Keys);
        Assert.Equal(["a"], vectors!.Keys);
        Assert.Equal([5f, 6f], ((DenseVector)vectors["a"]).Values);
        Assert.Equal(1ul, segment.PointsCount);
        Assert.Throws<ArgumentException>(() => segment.Upsert(3, 2ul, new Dictionary<string, VectorData> { ["zzz"] = (float[])[1, 2] }, null));
        Assert.Throws<ArgumentException>(() => segment.Upsert(3, 2ul, new Dictionary<string, VectorData> { ["a"] = (float[])[1, 2, 3] }, null));
    }

    [Fact]
    public void TryGetPoint_SelectsVectorsAndCopiesPayload()
    {
        using var dir = new TempDirectory("seg");
        using var segment = PointSegment.Create(dir.Path, new Dictionary<string, VectorSpec> { ["a"] = new(2, Distance.Dot), ["b"] = new(2, Distance.Dot) });
        segment.Upsert(1, 7ul, new Dictionary<string, VectorData> { ["a"] = (float[])[1, 2], ["b"] = (float[])[3, 4] }, Json.Obj("""{"x":{"y":1}}"""));
        Assert.True(segment.TryGetPoint(7ul, false, ["b"], out var payload, out var vectors, out _));
        Assert.Null(payload);
        Assert.Equal(["b"], vectors!.Keys);
        Assert.True(segment.TryGetPoint(7ul, true, [], out payload, out vectors, out _));
        Assert.Empty(vectors!);
        payload!["x"]!.AsObject["y"] = PayloadValue.FromInteger(99);
        segment.TryGetPoint(7ul, true, [], out var again, out _, out _);
        Assert.Equal(Json.Obj("""{"x":{"y":1}}"""), again);
        Assert.False(segment.TryGetPoint(8ul, true, null, out _, out _, out _));
    }

    [Fact]
    public void PayloadOps_Semantics()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2);
        segment.Upsert(1, 1ul, V([1, 0]), Json.Obj("""{"a":1,"b":{"c":2},"d":[{"e":1,"f":2}]}"""));

        Assert.True(segment.SetPayload(2, 1ul, Json.Obj("""{"a":null,"g":"new","b":{"z":0}}"""), null));
        Assert.Equal(Json.Obj("""{"b":{"z":0},"d":[{"e":1,"f":2}],"g":"new"}"""), Read(segment, 1ul));

        Assert.True(segment.SetPayload(3, 1ul, Json.Obj("""{"k":true}"""), "b.inner"));
        Assert.Equal(Json.Obj("""{"b":{"z":0,"inner":{"k":true}},"d":[{"e":1,"f":2}],"g":"new"}"""), Read(segment, 1ul));

        Assert.True(segment.DeletePayloadKeys(4, 1ul, ["d[].e", "b.z", "missing"]));
        Assert.Equal(Json.Obj("""{"b":{"inner":{"k":true}},"d":[{"f":2}],"g":"new"}"""), Read(segment, 1ul));

        Assert.True(segment.OverwritePayload(5, 1ul, Json.Obj("""{"only":1}""")));
        Assert.Equal(Json.Obj("""{"only":1}"""), Read(segment, 1ul));

        Assert.True(segment.ClearPayload(6, 1ul));
        Assert.Equal(new Payload(), Read(segment, 1ul));

        Assert.False(segment.SetPayload(7, 2ul, Json.Obj("""{"a":1}"""), null));
        Assert.False(segment.OverwritePayload(7, 2ul, new Payload()));
        Assert.False(segment.ClearPayload(7, 2ul));
        Assert.False(segment.DeletePayloadKeys(7, 2ul, ["a"]));
        Assert.Throws<ArgumentException>(() => segment.SetPayload(8, 1ul, new Payload(), "bad key"));
    }

    [Fact]
    public void SetPayload_DoesNotAliasCallerObjects()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2);
        var given = Json.Obj("""{"o":{"x":1}}""");
        segment.Upsert(1, 1ul, V([1, 0]), given);
        given["o"]!.AsObject["x"] = PayloadValue.FromInteger(2);
        Assert.Equal(Json.Obj("""{"o":{"x":1}}"""), Read(segment, 1ul));
    }

    [Fact]
    public void VectorOps_UpdateAndDelete()
    {
        using var dir = new TempDirectory("seg");
        using var segment = PointSegment.Create(dir.Path, new Dictionary<string, VectorSpec> { ["a"] = new(2, Distance.Dot), ["b"] = new(2, Distance.Dot) });
        segment.Upsert(1, 1ul, new Dictionary<string, VectorData> { ["a"] = (float[])[1, 2] }, null);
        Assert.True(segment.UpdateVectors(2, 1ul, new Dictionary<string, VectorData> { ["b"] = (float[])[3, 4] }));
        segment.TryGetPoint(1ul, false, null, out _, out var vectors, out _);
        Assert.Equal(["a", "b"], vectors!.Keys.Order());
        Assert.True(segment.DeleteVectors(3, 1ul, ["a", "unknown"]));
        segment.TryGetPoint(1ul, false, null, out _, out vectors, out _);
        Assert.Equal(["b"], vectors!.Keys);
        Assert.Equal(0ul, segment.VectorCount("a"));
        Assert.Equal(1ul, segment.VectorCount("b"));
        Assert.True(segment.Select(new Filter(Must: [new HasVectorCondition("b")])).Any());
        Assert.False(segment.Select(new Filter(Must: [new HasVectorCondition("a")])).Any());
        Assert.False(segment.UpdateVectors(4, 2ul, new Dictionary<string, VectorData> { ["b"] = (float[])[3, 4] }));
        Assert.False(segment.DeleteVectors(4, 2ul, ["a"]));
    }

    [Fact]
    public void OlderVersions_AreIgnored_ReplayIsIdempotent()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2);
        segment.Upsert(5, 1ul, V([1, 0]), Json.Obj("""{"v":5}"""));
        segment.Upsert(3, 1ul, V([0, 1]), Json.Obj("""{"v":3}"""));
        Assert.True(segment.SetPayload(4, 1ul, Json.Obj("""{"v":4}"""), null));
        Assert.Equal(Json.Obj("""{"v":5}"""), Read(segment, 1ul));

        Assert.True(segment.Delete(7, 1ul));
        segment.Upsert(6, 1ul, V([0, 1]), null); // replayed older upsert must not resurrect the point
        Assert.False(segment.Contains(1ul));
        Assert.False(segment.Delete(7, 1ul));

        segment.Upsert(8, 1ul, V([0, 1]), Json.Obj("""{"v":8}"""));
        Assert.True(segment.Contains(1ul));
        Assert.Equal(Json.Obj("""{"v":8}"""), Read(segment, 1ul));
        Assert.True(segment.Delete(2, 1ul)); // existed, but older: ignored
        Assert.True(segment.Contains(1ul));
    }

    [Fact]
    public void Delete_ThenReupsert_FreshPoint()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2);
        segment.CreateFieldIndex("k", FieldIndexType.Keyword);
        segment.Upsert(1, 1ul, V([1, 0]), Json.Obj("""{"k":"old"}"""));
        Assert.True(segment.Delete(2, 1ul));
        Assert.Equal(0ul, segment.PointsCount);
        Assert.Empty(segment.Select(new Filter(Must: [new FieldCondition("k", Match: new MatchValue(PayloadValue.FromString("old")))])));
        segment.Upsert(3, 1ul, V([0, 1]), Json.Obj("""{"k":"new"}"""));
        Assert.Equal(1ul, segment.PointsCount);
        Assert.Equal(Json.Obj("""{"k":"new"}"""), Read(segment, 1ul));
        Assert.Equal(1ul, segment.FieldIndexes["k"].Points);
        var hit = Assert.Single(segment.Search("", new float[] { 0, 1 }, null, 10, null));
        Assert.Equal(1f, hit.Score);
        Assert.Equal(3ul, hit.Version);
    }

    [Fact]
    public void SelectScrollCount_AscendingIdOrder_NumbersBeforeUuids()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2);
        var uuid = Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
        PointId[] ids = [uuid, 10ul, 2ul, 7ul, 3ul];
        for (var i = 0; i < ids.Length; i++)
        {
            segment.Upsert((ulong)i + 1, ids[i], V([1, 0]), new Payload { ["i"] = PayloadValue.FromInteger(i) });
        }

        Assert.Equal([2ul, 3ul, 7ul, 10ul, uuid], segment.Select(null));
        Assert.Equal([3ul, 7ul], segment.Scroll(null, 3ul, 2));
        Assert.Equal([10ul, uuid], segment.Scroll(null, 8ul, 10));
        Assert.Empty(segment.Scroll(null, null, 0));
        var even = new Filter(Must: [new FieldCondition("i", Match: new MatchAny(null, [0, 2, 4]))]);
        Assert.Equal([2ul, 3ul, uuid], segment.Select(even));
        Assert.Equal(3, segment.Count(even));
        Assert.Equal(5, segment.Count(null));
        Assert.Equal([3ul, uuid], segment.Scroll(even, 3ul, 5));
        segment.CreateFieldIndex("i", FieldIndexType.Integer);
        Assert.Equal([3ul, uuid], segment.Scroll(even, 3ul, 5));
        Assert.Equal([2ul], segment.Scroll(even, null, 1));
        Assert.Equal([7ul, 10ul], segment.Select(new Filter(Must: [new HasIdCondition(new HashSet<PointId> { 7ul, 10ul, 99ul })])));
    }

    [Fact]
    public void FieldIndexes_ReportTypeAndPoints_CreateDelete()
    {
        using var dir = new TempDirectory("seg");
        using var segment = CreateSingle(dir, 2);
        segment.Upsert(1, 1ul, V([1, 0]), Json.Obj("""{"k":"a","n":1}"""));
        segment.Upsert(2, 2ul, V([1, 0]), Json.Obj("""{"k":["b","c"]}"""));
        segment.CreateFieldIndex("k", FieldIndexType.Keyword);
        segment.CreateFieldIndex("n", FieldIndexType.Integer);
        Assert.Equal((FieldIndexType.Keyword, 2ul), segment.FieldIndexes["k"]);
        Assert.Equal((FieldIndexType.Integer, 1ul), segment.FieldIndexes["n"]);
        segment.SetPayload(3, 2ul, Json.Obj("""{"n":5}"""), null);
        Assert.Equal(2ul, segment.FieldIndexes["n"].Points);
        segment.CreateFieldIndex("n", FieldIndexType.Float);
        Assert.Equal((FieldIndexType.Float, 2ul), segment.FieldIndexes["n"]);
        Assert.True(segment.DeleteFieldIndex("n"));
        Assert.False(segment.DeleteFieldIndex("n"));
        Assert.Equal(["k"], segment.FieldIndexes.Keys);
        Assert.Throws<ArgumentException>(() => segment.CreateFieldIndex("a..b", FieldIndexType.Keyword));
        Assert.Throws<ArgumentException>(() => segment.CreateFieldIndex("x", (FieldIndexType)99));
    }

    [Fact]
    public void Flush_Reopen_RestoresExactState()
    {
        using var dir = new TempDirectory("seg");
        var uuid = Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
        var specs = new Dictionary<string, VectorSpec> { [""] = new(3, Distance.Cosine), ["img"] = new(2, Distance.Euclid) };
        List<SearchHit> before;
        Payload payload = Json.Obj("""{"city":"Берлин","n":[1,2],"o":{"d":1.5},"t":"2024-01-01"}""");
        using (var segment = PointSegment.Create(dir.Path, specs))
        {
            segment.Upsert(1, 1ul, new Dictionary<string, VectorData> { [""] = (float[])[1, 2, 3], ["img"] = (float[])[1, 1] }, payload);
            segment.Upsert(2, uuid, new Dictionary<string, VectorData> { [""] = (float[])[3, 2, 1] }, null);
            segment.Upsert(3, 5ul, new Dictionary<string, VectorData> { ["img"] = (float[])[0, 0] }, Json.Obj("""{"city":"Paris"}"""));
            segment.Delete(4, 5ul);
            segment.CreateFieldIndex("city", FieldIndexType.Keyword);
            before = segment.Search("", new float[] { 1, 0, 0 }, null, 10, null);
            segment.Flush(4);
            Assert.Equal(4ul, segment.PersistedVersion);
        }

        using (var reopened = PointSegment.Open(dir.Path))
        {
            Assert.Equal(4ul, reopened.PersistedVersion);
            Assert.Equal(2ul, reopened.PointsCount);
            Assert.Equal(specs, reopened.Vectors);
            Assert.Equal(before, reopened.Search("", new float[] { 1, 0, 0 }, null, 10, null));
            Assert.True(reopened.TryGetPoint(1ul, true, null, out var p, out var vectors, out var version));
            Assert.Equal(payload, p);
            Assert.Equal(1ul, version);
            Assert.Equal([1f, 1f], ((DenseVector)vectors!["img"]).Values);
            Assert.True(reopened.TryGetPoint(uuid, true, null, out _, out vectors, out _));
            Assert.Equal([""], vectors!.Keys);
            Assert.False(reopened.Contains(5ul));
            Assert.Equal((FieldIndexType.Keyword, 1ul), reopened.FieldIndexes["city"]);
            Assert.Equal(1ul, reopened.VectorCount("img"));

            // Tombstones survive: an older replayed upsert does not resurrect the deleted point.
            reopened.Upsert(3, 5ul, new Dictionary<string, VectorData> { ["img"] = (float[])[0, 0] }, null);
            Assert.False(reopened.Contains(5ul));

            // New writes continue at the next offset and persist again.
            reopened.Upsert(5, 5ul, new Dictionary<string, VectorData> { ["img"] = (float[])[2, 2] }, null);
            reopened.Flush(5);
        }

        using (var third = PointSegment.Open(dir.Path))
        {
            Assert.Equal(5ul, third.PersistedVersion);
            Assert.Equal(3ul, third.PointsCount);
            Assert.Equal([5ul, 1ul], third.Search("img", new float[] { 2, 2 }, null, 5, null).Select(h => h.Id.Num));
        }
    }

    [Fact]
    public void Open_UnflushedWritesAreNotVisible()
    {
        using var dir = new TempDirectory("seg");
        using (var segment = CreateSingle(dir, 2))
        {
            segment.Upsert(1, 1ul, V([1, 0]), null);
            segment.Flush(1);
            segment.Upsert(2, 2ul, V([0, 1]), null);
            segment.Delete(3, 1ul);
        }

        using var reopened = PointSegment.Open(dir.Path);
        Assert.Equal(1ul, reopened.PersistedVersion);
        Assert.Equal([1ul], reopened.Select(null));

        // Replaying the WAL tail reproduces the same offsets and state.
        reopened.Upsert(2, 2ul, V([0, 1]), null);
        reopened.Delete(3, 1ul);
        Assert.Equal([2ul], reopened.Select(null));
        Assert.Equal([2ul], reopened.Search("", new float[] { 0, 1 }, null, 5, null).Select(h => h.Id.Num));
    }

    [Fact]
    public void Open_CorruptStateFile_Throws()
    {
        using var dir = new TempDirectory("seg");
        using (var segment = CreateSingle(dir, 2))
        {
            segment.Upsert(1, 1ul, V([1, 0]), Json.Obj("""{"a":1}"""));
            segment.Flush(1);
        }

        var path = Path.Combine(dir.Path, PointSegment.StateFileName);
        var original = File.ReadAllBytes(path);
        for (var i = 0; i < original.Length; i += 7)
        {
            var corrupt = (byte[])original.Clone();
            corrupt[i] ^= 0x10;
            File.WriteAllBytes(path, corrupt);
            Assert.Throws<InvalidDataException>(() => PointSegment.Open(dir.Path).Dispose());
        }

        File.WriteAllBytes(path, original[..^3]);
        Assert.Throws<InvalidDataException>(() => PointSegment.Open(dir.Path).Dispose());
        File.WriteAllBytes(path, original);
        using var ok = PointSegment.Open(dir.Path);
        Assert.Equal(1ul, ok.PointsCount);
    }

    [Fact]
    public void Create_ExistingSegment_Throws_AndDisposedUseThrows()
    {
        using var dir = new TempDirectory("seg");
        var segment = CreateSingle(dir, 2);
        Assert.Throws<IOException>(() => CreateSingle(dir, 2));
        segment.Dispose();
        segment.Dispose();
        Assert.Throws<ObjectDisposedException>(() => segment.Upsert(1, 1ul, V([1, 0]), null));
    }

    private static Payload Read(PointSegment segment, PointId id)
    {
        Assert.True(segment.TryGetPoint(id, true, [], out var payload, out _, out _));
        return payload!;
    }
}
