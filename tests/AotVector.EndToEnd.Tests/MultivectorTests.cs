using System.Globalization;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>Multivectors against the published binary: create, upsert, MaxSim query, and both kinds of restart.</summary>
public sealed class MultivectorTests
{
    private const string Collection = "colbert_docs";

    [Fact]
    public async Task MultivectorsSurviveRestartAndKill_AndQueryByMaxSim()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync(Collection,
            """{"dense": {"size": 2, "distance": "Dot"}, "colbert": {"size": 3, "distance": "Dot", "multivector_config": {"comparator": "max_sim"}, "hnsw_config": {"m": 0}}}""");
        Calls.AssertJson("""{"comparator": "max_sim"}""", (await server.InfoAsync(Collection)).At("config.params.vectors.colbert.multivector_config"));

        var rng = new Random(5);
        var data = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, rng.Next(1, 5)).Select(_ => AotVector.Testing.SeededRandom.Vector(rng, 3)).ToArray()).ToArray();
        await server.UpsertAsync(Collection, "[" + string.Join(",", data.Select((rows, i) =>
            "{\"id\": " + i + ", \"vector\": {\"dense\": [1, 0], \"colbert\": " + Json(rows) + "}, \"payload\": {\"even\": " + (i % 2 == 0 ? "true" : "false") + "}}")) + "]");

        // A plain dense vector given to a multivector name is one row.
        await server.UpsertAsync(Collection, """[{"id": 100, "vector": {"colbert": [0.5, 0.5, 0.5]}}]""");
        Calls.AssertJson("""{"colbert": [[0.5, 0.5, 0.5]]}""", (await server.GetPointAsync(Collection, "100")).At("vector"));

        var query = new[] { new float[] { 1, 0, 0 }, [0, 0, 1] };
        var body = "{\"query\": " + Json(query) + ", \"using\": \"colbert\", \"limit\": 5, \"filter\": {\"must\": [{\"key\": \"even\", \"match\": {\"value\": true}}]}}";
        var expected = Enumerable.Range(0, data.Length).Where(i => i % 2 == 0)
            .OrderByDescending(i => query.Sum(q => data[i].Max(r => (double)q[0] * r[0] + ((double)q[1] * r[1]) + ((double)q[2] * r[2]))))
            .Take(5).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var before = (await server.PostAsync($"/collections/{Collection}/points/query", body)).Ok().At("points");
        Assert.Equal(expected, before.Ids());

        // A rewrite after the first flush, then a graceful restart.
        await server.UpsertAsync(Collection, """[{"id": 1, "vector": {"colbert": [[9, 0, 0], [0, 0, 9]]}}]""");
        await server.RestartAsync();
        Calls.AssertJson("""{"colbert": [[9, 0, 0], [0, 0, 9]]}""", (await server.GetPointAsync(Collection, "1")).At("vector"));
        Assert.Equal(expected, (await server.PostAsync($"/collections/{Collection}/points/query", body)).Ok().At("points").Ids());

        // Acknowledged writes survive kill -9 (replayed from the WAL into the row files).
        await server.UpsertAsync(Collection, """[{"id": 2, "vector": {"colbert": [[7, 0, 7]]}, "payload": {"even": true}}]""");
        (await server.PostAsync($"/collections/{Collection}/points/vectors/delete?wait=true", """{"points": [4], "vector": ["colbert"]}""")).Ok();
        server.Kill();
        await server.RestartAsync();
        var after = (await server.PostAsync($"/collections/{Collection}/points/query", body)).Ok().At("points");
        Assert.Equal("2", after.Ids()[0]);
        Assert.DoesNotContain("4", after.Ids());
        Calls.AssertJson("""{"colbert": [[7, 0, 7]]}""", (await server.GetPointAsync(Collection, "2")).At("vector"));
        Calls.AssertJson("""{"dense": [1, 0]}""", (await server.GetPointAsync(Collection, "4")).At("vector"));
    }

    private static string Json(float[][] rows) =>
        "[" + string.Join(",", rows.Select(r => "[" + string.Join(",", r.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";
}
