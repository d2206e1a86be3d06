#pragma warning disable CS0612 // on_disk_payload is deprecated on the wire but still what 1.19 clients send.
using System.Globalization;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;
using AotVector.Testing;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// on_disk_payload against the published binary: the default from storage.on_disk_payload (true, as the reference),
/// false or true on create and PATCH over REST and gRPC, shown alike in both wires' collection info; payloads in the
/// segments' payload files, filtered on unindexed fields and read back, across a graceful restart and kill -9 (with
/// edits acknowledged just before it), and rewritten into the heap placement by the optimizer after a PATCH.
/// </summary>
public sealed class OnDiskPayloadTests
{
    private const int Points = 2000;

    [Fact]
    public async Task Config_RoundTripsOnRestAndGrpc_AndFollowsTheStorageDefault()
    {
        await using (var server = await ServerProcess.StartAsync())
        {
            await RoundTripAsync(server);
        }

        // storage.on_disk_payload: false in the server's config is the default of a create that does not say.
        await using var heapDefault = await ServerProcess.StartAsync(new ServerOptions().WithEnv("QDRANT__STORAGE__ON_DISK_PAYLOAD", "false"));
        await heapDefault.CreateCollectionAsync("c", """{"size": 4, "distance": "Dot"}""");
        Assert.False((await heapDefault.InfoAsync("c")).At("config.params.on_disk_payload").GetBoolean());
        (await heapDefault.PutAsync("/collections/d", """{"vectors": {"size": 4, "distance": "Dot"}, "on_disk_payload": true}""")).Ok();
        Assert.True((await heapDefault.InfoAsync("d")).At("config.params.on_disk_payload").GetBoolean());
    }

    private static async Task RoundTripAsync(ServerProcess server)
    {
        await server.CreateCollectionAsync("defaulted", """{"size": 4, "distance": "Dot"}""");
        (await server.PutAsync("/collections/heap", """{"vectors": {"size": 4, "distance": "Dot"}, "on_disk_payload": false}""")).Ok();
        using var grpc = new GrpcCalls(server.GrpcPort);
        await grpc.CallAsync("/qdrant.Collections/Create", new CreateCollection
        {
            CollectionName = "viagrpc",
            VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = 4, Distance = Distance.Dot } },
            OnDiskPayload = false,
        }, CollectionOperationResponse.Parser);

        await AssertPlacementAsync(server, grpc, "defaulted", true);
        await AssertPlacementAsync(server, grpc, "heap", false);
        await AssertPlacementAsync(server, grpc, "viagrpc", false);

        (await server.PatchAsync("/collections/heap", """{"params": {"on_disk_payload": true}}""")).Ok();
        await AssertPlacementAsync(server, grpc, "heap", true);
        await grpc.CallAsync("/qdrant.Collections/Update", new UpdateCollection
        {
            CollectionName = "heap",
            Params = new CollectionParamsDiff { OnDiskPayload = false },
        }, CollectionOperationResponse.Parser);
        await AssertPlacementAsync(server, grpc, "heap", false);
    }

    [Fact]
    public async Task Payloads_LiveInPayloadFiles_ThroughRestartKillAndAPatchToTheHeap()
    {
        await using var server = await ServerProcess.StartAsync();
        (await server.PutAsync("/collections/p", """{"vectors": {"size": 4, "distance": "Euclid"}, "optimizers_config": {"indexing_threshold": 10}}""")).Ok();
        for (var start = 0; start < Points; start += 500)
        {
            await server.UpsertAsync("p", "[" + string.Join(",", Enumerable.Range(start, 500).Select(Point)) + "]");
        }

        await WaitAsync(server, () => PayloadFiles(server).Length >= 2, "sealed segments with payload files");
        await AssertAnswersAsync(server, edited: false);

        await server.RestartAsync();
        await AssertAnswersAsync(server, edited: false);

        // Edits acknowledged with wait=true, then kill -9 before any flush: the WAL brings them back.
        (await server.PostAsync("/collections/p/points/payload?wait=true", """{"payload": {"color": "green"}, "filter": {"must": [{"key": "n", "range": {"lt": 100}}]}}""")).Ok();
        server.Kill();
        await server.RestartAsync();
        await AssertAnswersAsync(server, edited: true);

        // To the heap: the optimizer rewrites the sealed segments without payload files, and answers stay the same.
        (await server.PatchAsync("/collections/p", """{"params": {"on_disk_payload": false}}""")).Ok();
        await WaitAsync(server, () => PayloadFiles(server).Length <= 1, "sealed segments rewritten on the heap");
        await AssertAnswersAsync(server, edited: true);
        server.Kill();
        await server.RestartAsync();
        await AssertAnswersAsync(server, edited: true);
    }

    private static string Point(int i) => string.Create(CultureInfo.InvariantCulture,
        $$$"""{"id": {{{i}}}, "vector": [{{{i % 7}}}, {{{i % 11}}}, {{{i % 13}}}, 1], "payload": {"n": {{{i}}}, "color": "{{{(i % 3 == 0 ? "red" : "blue")}}}", "meta": {"even": {{{(i % 2 == 0 ? "true" : "false")}}} } } }""");

    // Filters on fields without an index (top-level and nested), and every payload read back.
    private static async Task AssertAnswersAsync(ServerProcess server, bool edited)
    {
        string ColorOf(int i) => edited && i < 100 ? "green" : i % 3 == 0 ? "red" : "blue";
        var all = Enumerable.Range(0, Points).ToList();
        Assert.Equal(all.Count(i => ColorOf(i) == "red"), await server.CountAsync("p", """{"must": [{"key": "color", "match": {"value": "red"}}]}"""));
        Assert.Equal(all.Count(i => i % 2 == 0 && i >= 1500), await server.CountAsync("p", """{"must": [{"key": "meta.even", "match": {"value": true}}, {"key": "n", "range": {"gte": 1500}}]}"""));
        var records = await server.ScrollAllAsync("p", pageSize: 500);
        Assert.Equal(Points, records.Count);
        foreach (var record in records)
        {
            var i = (int)record.At("id").GetInt64();
            Assert.Equal(i, record.At("payload.n").GetInt64());
            Assert.Equal(ColorOf(i), record.At("payload.color").GetString());
            Assert.Equal(i % 2 == 0, record.At("payload.meta.even").GetBoolean());
        }
    }

    private static async Task AssertPlacementAsync(ServerProcess server, GrpcCalls grpc, string name, bool onDisk)
    {
        Assert.Equal(onDisk, (await server.InfoAsync(name)).At("config.params.on_disk_payload").GetBoolean());
        var info = await grpc.CallAsync("/qdrant.Collections/Get", new GetCollectionInfoRequest { CollectionName = name }, GetCollectionInfoResponse.Parser);
        Assert.Equal(onDisk, info.Result.Config.Params.OnDiskPayload);
    }

    private static string[] PayloadFiles(ServerProcess server) =>
        Directory.GetFiles(Path.Combine(server.StoragePath, "collections", "p"), "payloads.bin", SearchOption.AllDirectories);

    private static async Task WaitAsync(ServerProcess server, Func<bool> done, string what)
    {
        for (var wait = 0; wait < 600; wait++)
        {
            if (done() && (await server.InfoAsync("p")).At("status").GetString() == "green")
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{what} did not happen\n{server.Logs()}");
    }
}
