using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// PUT and DELETE /collections/{name}/vectors/{vector_name} on the published binary: a vector added to a collection
/// with points, written, searched, kept over a restart and a kill -9 after an acknowledged add, then removed from the
/// collection and from every point.
/// </summary>
public sealed class VectorNameTests
{
    private const string Collection = "names";

    [Fact]
    public async Task AddedVector_IsWrittenSearchedAndKept_ThenDeletedFromEveryPoint()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync(Collection, """{"a":{"size":2,"distance":"Dot"}}""");
        await server.UpsertAsync(Collection, """[{"id":1,"vector":{"a":[1,0]}},{"id":2,"vector":{"a":[0,1]}}]""");

        var added = (await server.PutAsync($"/collections/{Collection}/vectors/b?wait=true", """{"dense":{"size":3,"distance":"Dot"}}""")).Ok();
        Assert.Equal("completed", added.At("status").GetString());
        Calls.AssertJson("""{"size":3,"distance":"Dot"}""", (await server.InfoAsync(Collection)).At("config.params.vectors.b"));
        Assert.False((await server.GetPointAsync(Collection, "1")).At("vector").Has("b"));

        (await server.PutAsync($"/collections/{Collection}/points/vectors?wait=true", """{"points":[{"id":1,"vector":{"b":[1,0,0]}}]}""")).Ok();
        await server.UpsertAsync(Collection, """[{"id":3,"vector":{"a":[1,1],"b":[2,0,0]}}]""");
        (await server.PutAsync($"/collections/{Collection}/vectors/text", """{"sparse":{"modifier":"idf"}}""")).Ok();
        await server.RestartAsync();

        var hits = (await server.PostAsync($"/collections/{Collection}/points/query", """{"query":[1,0,0],"using":"b"}""")).Ok().At("points");
        Assert.Equal(["3", "1"], hits.Ids());
        Calls.AssertJson("""{"text":{"modifier":"idf"}}""", (await server.InfoAsync(Collection)).At("config.params.sparse_vectors"));

        // Acknowledged (wait=false) and killed before any flush: the WAL keeps it.
        (await server.PutAsync($"/collections/{Collection}/vectors/late", """{"dense":{"size":2,"distance":"Euclid"}}""")).Ok();
        server.Kill();
        await server.RestartAsync();
        Calls.AssertJson("""{"size":2,"distance":"Euclid"}""", (await server.InfoAsync(Collection)).At("config.params.vectors.late"));
        await server.UpsertAsync(Collection, """[{"id":4,"vector":{"late":[0,0]}}]""");

        var deleted = (await server.DeleteAsync($"/collections/{Collection}/vectors/b?wait=true")).Ok();
        Assert.Equal("completed", deleted.At("status").GetString());
        Assert.False((await server.InfoAsync(Collection)).At("config.params.vectors").Has("b"));
        Assert.False((await server.GetPointAsync(Collection, "3")).At("vector").Has("b"));
        var gone = await server.PostAsync($"/collections/{Collection}/points/query", """{"query":[1,0,0],"using":"b"}""");
        Assert.StartsWith("Wrong input: Not existing vector name error: b", gone.Error(400));
        server.Kill();
        await server.RestartAsync();
        Assert.False((await server.GetPointAsync(Collection, "1")).At("vector").Has("b"));
        Assert.Equal(4L, await server.CountAsync(Collection));
    }

    [Fact]
    public async Task BadRequests_Are400WithTheReason()
    {
        await using var server = await ServerProcess.StartAsync();
        await server.CreateCollectionAsync(Collection, """{"a":{"size":2,"distance":"Dot"}}""");

        Assert.Equal("Wrong input: Vector `a` already exists with a different configuration",
            (await server.PutAsync($"/collections/{Collection}/vectors/a", """{"dense":{"size":4,"distance":"Dot"}}""")).Error(400));
        Assert.Equal("Wrong input: Vector `a` already exists as a dense vector",
            (await server.PutAsync($"/collections/{Collection}/vectors/a", """{"sparse":{}}""")).Error(400));
        Assert.Contains("unknown variant `Hamming`",
            (await server.PutAsync($"/collections/{Collection}/vectors/b", """{"dense":{"size":4,"distance":"Hamming"}}""")).Error(400));
        Assert.Contains("missing field `size`",
            (await server.PutAsync($"/collections/{Collection}/vectors/b", """{"dense":{"distance":"Dot"}}""")).Error(400));
        Assert.Equal("Wrong input: Invalid vector name `x:y`: vector name cannot contain \":\" char",
            (await server.PutAsync($"/collections/{Collection}/vectors/x:y", """{"sparse":{}}""")).Error(400));
        Assert.Equal(404, (await server.PutAsync("/collections/missing/vectors/b", """{"sparse":{}}""")).Status);
        Calls.AssertJson("""{"a":{"size":2,"distance":"Dot"}}""", (await server.InfoAsync(Collection)).At("config.params.vectors"));
    }
}
