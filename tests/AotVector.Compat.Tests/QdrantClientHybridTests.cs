using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// The reference documentation's hybrid search through the official Qdrant.Client 1.20.0: a dense and a sparse named
/// vector, both searched as prefetch branches and fused with RRF; then a multivector added to the live collection
/// (CreateVectorNameAsync) re-ranks a dense prefetch by MaxSim, and is removed (DeleteVectorNameAsync). Every ranking
/// is checked against a brute-force computation in the test.
/// </summary>
public sealed class QdrantClientHybridTests : ServerAndClient
{
    private const string Name = "hybrid";
    private const int Count = 200;

    // The reference's RRF constant: each list contributes 1 / (rank + 2), rank from 0.
    private const int RrfK = 2;

    [Fact]
    public async Task DenseAndSparsePrefetch_FusedWithRrf_MatchesBruteForce_ThenAMultivectorReRanks()
    {
        var random = new Random(1820);
        var dense = SeededRandom.Vectors(18, Count, 8);
        var text = Enumerable.Range(0, Count).Select(_ => Sparse(random, 6)).ToArray();
        await Client.CreateCollectionAsync(Name, new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 8, Distance = Distance.Cosine } } },
            sparseVectorsConfig: new SparseVectorConfig { Map = { ["text"] = new SparseVectorParams() } });
        await Client.UpsertAsync(Name, [.. Enumerable.Range(0, Count).Select(i => new PointStruct
        {
            Id = (ulong)i,
            Vectors = new Dictionary<string, Vector> { ["dense"] = dense[i], ["text"] = (text[i].Values, text[i].Indices) },
            Payload = { ["n"] = i },
        })]);

        var qd = SeededRandom.Vectors(19, 1, 8)[0];
        var qs = Sparse(random, 4);
        var hits = await Client.QueryAsync(Name, prefetch:
            [
                new PrefetchQuery { Query = qd, Using = "dense", Limit = 20 },
                new PrefetchQuery { Query = (qs.Values, qs.Indices), Using = "text", Limit = 20 },
            ],
            query: Fusion.Rrf, limit: 10, payloadSelector: true);

        var byDense = Ranked(Enumerable.Range(0, Count).Select(i => (i, (double?)Cosine(qd, dense[i]))));
        var bySparse = Ranked(Enumerable.Range(0, Count).Select(i => (i, SparseDot(qs, text[i]))));
        var expected = Rrf(byDense.Take(20).ToList(), bySparse.Take(20).ToList()).Take(10).ToList();
        Assert.Equal(expected.Select(e => (ulong)e.Id), hits.Select(h => h.Id.Num));
        Assert.All(hits.Zip(expected), pair => Assert.Equal(pair.Second.Score, pair.First.Score, 6));
        Assert.All(hits, h => Assert.Equal((long)h.Id.Num, h.Payload["n"].IntegerValue));

        // A ColBERT-style multivector added to the collection that already holds the points.
        var created = await Client.CreateVectorNameAsync(new CreateVectorNameRequest
        {
            CollectionName = Name,
            VectorName = "colbert",
            DenseConfig = new DenseVectorCreationConfig { Size = 4, Distance = Distance.Dot, MultivectorConfig = new MultiVectorConfig { Comparator = MultiVectorComparator.MaxSim } },
            Wait = true,
        });
        Assert.Equal(UpdateStatus.Completed, created.Status);
        var info = await Client.GetCollectionInfoAsync(Name);
        Assert.Equal(MultiVectorComparator.MaxSim, info.Config.Params.VectorsConfig.ParamsMap.Map["colbert"].MultivectorConfig.Comparator);
        Assert.False((await Client.RetrieveAsync(Name, 0, withVectors: true))[0].Vectors.Vectors.Vectors.ContainsKey("colbert"));

        var colbert = Enumerable.Range(0, Count).Select(i => SeededRandom.Vectors(100 + i, 3, 4)).ToArray();
        await Client.UpdateVectorsAsync(Name, [.. Enumerable.Range(0, Count).Select(i => new PointVectors
        {
            Id = (ulong)i,
            Vectors = new Dictionary<string, Vector> { ["colbert"] = colbert[i] },
        })]);

        var qc = SeededRandom.Vectors(20, 2, 4);
        var reranked = await Client.QueryAsync(Name, prefetch: [new PrefetchQuery { Query = qd, Using = "dense", Limit = 30 }], query: qc, usingVector: "colbert", limit: 5);
        var expectedReranked = byDense.Take(30)
            .Select(p => (p.Id, Score: qc.Sum(q => colbert[p.Id].Max(row => Dot(q, row)))))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Id).Take(5).ToList();
        Assert.Equal(expectedReranked.Select(e => (ulong)e.Id), reranked.Select(h => h.Id.Num));
        Assert.All(reranked.Zip(expectedReranked), pair => Assert.Equal(pair.Second.Score, pair.First.Score, 3));

        // Removed again: gone from the collection info, from every point, and from queries.
        await Client.DeleteVectorNameAsync(new DeleteVectorNameRequest { CollectionName = Name, VectorName = "colbert", Wait = true });
        info = await Client.GetCollectionInfoAsync(Name);
        Assert.False(info.Config.Params.VectorsConfig.ParamsMap.Map.ContainsKey("colbert"));
        var point = (await Client.RetrieveAsync(Name, 0, withVectors: true))[0];
        Assert.Equal(["dense", "text"], point.Vectors.Vectors.Vectors.Keys.Order());
        var refused = await Assert.ThrowsAsync<RpcException>(() => Client.QueryAsync(Name, qc, usingVector: "colbert"));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("Not existing vector name error: colbert", refused.Status.Detail);
    }

    private static (float[] Values, uint[] Indices) Sparse(Random random, int nonZeros)
    {
        var indices = new SortedSet<uint>();
        while (indices.Count < nonZeros)
        {
            indices.Add((uint)random.Next(60));
        }

        return ([.. indices.Select(_ => 0.1f + random.NextSingle())], [.. indices]);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private static double Cosine(float[] a, float[] b) => Dot(a, b) / Math.Sqrt(Dot(a, a) * Dot(b, b));

    // Null when the two share no term: a sparse search does not find such a point.
    private static double? SparseDot((float[] Values, uint[] Indices) q, (float[] Values, uint[] Indices) d)
    {
        double? sum = null;
        for (var i = 0; i < q.Indices.Length; i++)
        {
            var at = Array.IndexOf(d.Indices, q.Indices[i]);
            if (at >= 0)
            {
                sum = (sum ?? 0) + ((double)q.Values[i] * d.Values[at]);
            }
        }

        return sum;
    }

    // Best first, ties to the smaller id.
    private static List<(int Id, double Score)> Ranked(IEnumerable<(int Id, double? Score)> scored) =>
        [.. scored.Where(s => s.Score is not null).Select(s => (s.Id, s.Score!.Value)).OrderByDescending(s => s.Item2).ThenBy(s => s.Id)];

    private static IEnumerable<(int Id, float Score)> Rrf(params List<(int Id, double Score)>[] lists)
    {
        var sums = new Dictionary<int, float>();
        foreach (var list in lists)
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                sums[list[rank].Id] = sums.GetValueOrDefault(list[rank].Id) + (1f / (rank + RrfK));
            }
        }

        return sums.Select(kv => (kv.Key, kv.Value)).OrderByDescending(s => s.Value).ThenBy(s => s.Key);
    }
}
