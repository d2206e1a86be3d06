using System.Text.Json;
using AotVector.Testing;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Hybrid queries (two named dense vectors, "a" Cosine and "b" Euclid, fused or re-ranked) through the official .NET
/// client's <c>QueryAsync(prefetch: ..., query: Fusion.Rrf)</c> and through REST: the same points and scores, in the
/// order a brute-force computation of the reference's formulas gives.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    private const int HybridCount = 300;
    private static readonly float[][] s_hybridA = SeededRandom.Vectors(41, HybridCount, 8);
    private static readonly float[][] s_hybridB = SeededRandom.Vectors(42, HybridCount, 4);

    [Fact]
    public async Task QueryTree_RrfOfTwoVectors_SameOnBothWires_AndAsComputed()
    {
        await CreateHybrid("hybrid_rrf");
        foreach (var (qa, qb) in SeededRandom.Vectors(43, 3, 8).Zip(SeededRandom.Vectors(44, 3, 4)))
        {
            var grpc = await Client.QueryAsync(
                "hybrid_rrf",
                prefetch: [new PrefetchQuery { Query = qa, Using = "a", Limit = 20 }, new PrefetchQuery { Query = qb, Using = "b", Limit = 25 }],
                query: Fusion.Rrf,
                limit: 10);
            var rest = await RestHits("hybrid_rrf", $$"""{"prefetch":[{"query":[{{Floats(qa)}}],"using":"a","limit":20},{"query":[{{Floats(qb)}}],"using":"b","limit":25}],"query":{"fusion":"rrf"},"limit":10}""");

            var expected = HybridRrf(2, HybridA(qa).Take(20).ToList(), HybridB(qb).Take(25).ToList()).Take(10).ToList();
            Assert.Equal(expected.Select(e => e.Id), grpc.Select(p => p.Id.Num));
            Assert.Equal(expected.Select(e => e.Score), grpc.Select(p => p.Score));
            Assert.Equal(expected, rest);
        }
    }

    [Fact]
    public async Task QueryTree_DbsfWeightedRrfAndNestedRescoring_SameOnBothWires()
    {
        await CreateHybrid("hybrid_more");
        var qa = SeededRandom.Vectors(45, 1, 8)[0];
        var qb = SeededRandom.Vectors(46, 1, 4)[0];
        var restBranches = $$"""[{"query":[{{Floats(qa)}}],"using":"a","limit":30},{"query":[{{Floats(qb)}}],"using":"b","limit":30}]""";
        PrefetchQuery[] Branches() => [new PrefetchQuery { Query = qa, Using = "a", Limit = 30 }, new PrefetchQuery { Query = qb, Using = "b", Limit = 30 }];

        var dbsf = await Client.QueryAsync("hybrid_more", prefetch: Branches(), query: Fusion.Dbsf, limit: 10);
        Assert.Equal(await RestHits("hybrid_more", "{\"prefetch\":" + restBranches + ",\"query\":{\"fusion\":\"dbsf\"},\"limit\":10}"), dbsf.Select(p => (p.Id.Num, p.Score)).ToList());

        var weighted = await Client.QueryAsync("hybrid_more", prefetch: Branches(), query: new Rrf { K = 60, Weights = { 3f, 1f } }, limit: 10, offset: 2);
        var expectedWeighted = await RestHits("hybrid_more", "{\"prefetch\":" + restBranches + ",\"query\":{\"rrf\":{\"k\":60,\"weights\":[3,1]}},\"limit\":10,\"offset\":2}");
        Assert.Equal(expectedWeighted, weighted.Select(p => (p.Id.Num, p.Score)).ToList());

        // The fused top 15 re-ranked by the "b" vector: Euclid distances of those 15, nearest first.
        var nested = await Client.QueryAsync(
            "hybrid_more",
            prefetch: [new PrefetchQuery { Prefetch = { Branches() }, Query = Fusion.Rrf, Limit = 15 }],
            query: qb,
            usingVector: "b",
            limit: 5,
            payloadSelector: true);
        var fused = HybridRrf(2, HybridA(qa).Take(30).ToList(), HybridB(qb).Take(30).ToList()).Take(15).Select(e => e.Id).ToHashSet();
        var expected = HybridB(qb).Where(e => fused.Contains(e.Id)).Take(5).ToList();
        Assert.Equal(expected.Select(e => e.Id), nested.Select(p => p.Id.Num));
        Assert.Equal(expected.Select(e => e.Score), nested.Select(p => p.Score), new CloseFloats(1e-4f));
        Assert.All(nested, p => Assert.Equal((long)p.Id.Num, p.Payload["n"].IntegerValue));

        // A batch: one answer per query, the same as the single queries.
        var batch = await Client.QueryBatchAsync("hybrid_more", [
            new QueryPoints { CollectionName = "hybrid_more", Prefetch = { Branches() }, Query = Fusion.Dbsf, Limit = 10 },
            new QueryPoints { CollectionName = "hybrid_more", Prefetch = { Branches() }, Query = new Rrf { K = 60, Weights = { 3f, 1f } }, Limit = 10, Offset = 2 },
        ]);
        Assert.Equal(dbsf.Select(p => p.Id.Num), batch[0].Result.Select(p => p.Id.Num));
        Assert.Equal(weighted.Select(p => p.Id.Num), batch[1].Result.Select(p => p.Id.Num));
        var restBatch = await Rest(HttpMethod.Post, "/collections/hybrid_more/points/query/batch",
            "{\"searches\":[{\"prefetch\":" + restBranches + ",\"query\":{\"fusion\":\"dbsf\"},\"limit\":10}]}");
        Assert.Equal(dbsf.Select(p => p.Id.Num), restBatch[0].GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()));
    }

    private async Task CreateHybrid(string name)
    {
        await Rest(HttpMethod.Put, $"/collections/{name}", """{"vectors":{"a":{"size":8,"distance":"Cosine"},"b":{"size":4,"distance":"Euclid"}}}""");
        var points = string.Join(",", Enumerable.Range(0, HybridCount).Select(i =>
            $$$"""{"id":{{{i}}},"vector":{"a":[{{{Floats(s_hybridA[i])}}}],"b":[{{{Floats(s_hybridB[i])}}}]},"payload":{"n":{{{i}}}}}"""));
        await Rest(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[" + points + "]}");
    }

    private async Task<List<(ulong Id, float Score)>> RestHits(string collection, string body)
    {
        var result = await Rest(HttpMethod.Post, $"/collections/{collection}/points/query", body);
        return [.. result.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("id").GetUInt64(), p.GetProperty("score").GetSingle()))];
    }

    // Cosine similarity on "a", best first; Euclid distance on "b", nearest first; ties to the smaller id.
    private static List<(ulong Id, float Score)> HybridA(float[] q) =>
        [.. Enumerable.Range(0, HybridCount).Select(i => ((ulong)i, (float)Cosine(q, s_hybridA[i]))).OrderByDescending(e => e.Item2).ThenBy(e => e.Item1)];

    private static List<(ulong Id, float Score)> HybridB(float[] q) =>
        [.. Enumerable.Range(0, HybridCount).Select(i => ((ulong)i, (float)Math.Sqrt(q.Zip(s_hybridB[i], (x, y) => (double)(x - y) * (x - y)).Sum()))).OrderBy(e => e.Item2).ThenBy(e => e.Item1)];

    private static double Cosine(float[] x, float[] y)
    {
        double dot = 0, nx = 0, ny = 0;
        for (var i = 0; i < x.Length; i++)
        {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }

        return dot / Math.Sqrt(nx * ny);
    }

    // 1 / (position + k) per list, summed in float in list order as the reference sums; best first, ties to the smaller id.
    private static List<(ulong Id, float Score)> HybridRrf(int k, params List<(ulong Id, float Score)>[] lists)
    {
        var sums = new Dictionary<ulong, float>();
        foreach (var list in lists)
        {
            for (var pos = 0; pos < list.Count; pos++)
            {
                sums[list[pos].Id] = sums.GetValueOrDefault(list[pos].Id) + (1f / (pos + k));
            }
        }

        return [.. sums.Select(kv => (kv.Key, kv.Value)).OrderByDescending(e => e.Value).ThenBy(e => e.Key)];
    }

    private sealed class CloseFloats(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
