using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Endpoints;

public sealed class CollectionsEndpointsTests
{
    private readonly RestHarness _harness = new();

    [Fact]
    public async Task List_CollectionsShape()
    {
        var response = await _harness.SendAsync(CollectionsEndpoints.ListAsync);
        Assert.Equal(200, response.Status);
        Assert.Equal("""{"collections":[{"name":"a"},{"name":"b"}]}""", response.Result);
    }

    [Fact]
    public async Task Create_MapsBodyAndAnswersTrue()
    {
        var response = await _harness.SendAsync(CollectionsEndpoints.CreateAsync, """{"vectors":{"size":4,"distance":"Euclid"}}""", collection: "test", query: "?timeout=10");
        Assert.Equal("true", response.Result);
        Assert.Equal("test", _harness.Collections.LastCreate!.Name);
        Assert.Equal(Distance.Euclid, _harness.Collections.LastCreate.Vectors.Single!.Distance);
    }

    [Fact]
    public async Task Create_Errors_NotForwarded()
    {
        var bad = await _harness.SendAsync(CollectionsEndpoints.CreateAsync, """{"vectors":{"size":65537,"distance":"Cosine"}}""");
        Assert.Equal(422, bad.Status);
        var badTimeout = await _harness.SendAsync(CollectionsEndpoints.CreateAsync, """{"vectors":{"size":4,"distance":"Cosine"}}""", query: "?timeout=abc");
        Assert.Equal(400, badTimeout.Status);
        Assert.StartsWith("Deserialize error in query parameters", badTimeout.Error);
        Assert.Null(_harness.Collections.LastCreate);
    }

    [Fact]
    public async Task Create_AlreadyExists_409()
    {
        _harness.Collections.Error = AvError.AlreadyExists("Collection `test` already exists!");
        var response = await _harness.SendAsync(CollectionsEndpoints.CreateAsync, """{"vectors":{"size":4,"distance":"Cosine"}}""");
        Assert.Equal(409, response.Status);
        Assert.Equal("Wrong input: Collection `test` already exists!", response.Error);
    }

    [Fact]
    public async Task Get_CollectionInfoShape()
    {
        var response = await _harness.SendAsync(CollectionsEndpoints.GetAsync, collection: "test");
        Assert.Equal("test", _harness.Collections.LastName);
        Assert.Equal(
            """{"status":"green","optimizer_status":"ok","indexed_vectors_count":0,"points_count":3,"segments_count":2,"config":{"params":{"vectors":{"size":4,"distance":"Cosine"},"shard_number":1,"replication_factor":1,"write_consistency_factor":1,"on_disk_payload":true},"hnsw_config":{"m":16,"ef_construct":100,"full_scan_threshold":10000,"max_indexing_threads":0,"on_disk":false},"optimizer_config":{"deleted_threshold":0.2,"vacuum_min_vector_number":1000,"default_segment_number":0,"max_segment_size":null,"memmap_threshold":null,"indexing_threshold":10000,"flush_interval_sec":5,"max_optimization_threads":null,"prevent_unoptimized":null},"wal_config":{"wal_capacity_mb":32,"wal_segments_ahead":0,"wal_retain_closed":1},"quantization_config":null},"payload_schema":{"city":{"data_type":"keyword","points":3}},"update_queue":{"length":0}}""",
            response.Result);
    }

    [Fact]
    public async Task Get_NamedVectorsAndOptimizerError()
    {
        var info = _harness.Collections.Info;
        _harness.Collections.Info = info with
        {
            OptimizerError = "disk full",
            Status = CollectionStatus.Red,
            Config = info.Config with
            {
                Params = info.Config.Params with
                {
                    Vectors = new VectorsConfig(null, new Dictionary<string, VectorParams> { ["img"] = new(3, Distance.Dot, new HnswConfigDiff(M: 8), true) }),
                },
            },
        };
        var json = (await _harness.SendAsync(CollectionsEndpoints.GetAsync)).Json.GetProperty("result");
        Assert.Equal("red", json.GetProperty("status").GetString());
        Assert.Equal("disk full", json.GetProperty("optimizer_status").GetProperty("error").GetString());
        Assert.Equal("""{"img":{"size":3,"distance":"Dot","hnsw_config":{"m":8},"on_disk":true}}""", json.GetProperty("config").GetProperty("params").GetProperty("vectors").GetRawText());
    }

    [Fact]
    public async Task Get_Missing_404()
    {
        _harness.Collections.Error = AvError.CollectionNotFound("test");
        var response = await _harness.SendAsync(CollectionsEndpoints.GetAsync);
        Assert.Equal(404, response.Status);
        Assert.Equal("Not found: Collection `test` doesn't exist!", response.Error);
    }

    [Fact]
    public async Task Delete_MissingIsFalseNotError()
    {
        Assert.Equal("true", (await _harness.SendAsync(CollectionsEndpoints.DeleteAsync, collection: "a")).Result);
        Assert.Equal("false", (await _harness.SendAsync(CollectionsEndpoints.DeleteAsync, collection: "missing")).Result);
    }

    [Fact]
    public async Task Update_Exists_Aliases()
    {
        Assert.Equal("true", (await _harness.SendAsync(CollectionsEndpoints.UpdateAsync, """{"optimizers_config":{"indexing_threshold":1}}""")).Result);
        Assert.Equal(1UL, _harness.Collections.LastUpdate!.OptimizersConfig!.IndexingThreshold);

        Assert.Equal("""{"exists":true}""", (await _harness.SendAsync(CollectionsEndpoints.ExistsAsync, collection: "a")).Result);
        Assert.Equal("""{"exists":false}""", (await _harness.SendAsync(CollectionsEndpoints.ExistsAsync, collection: "zz")).Result);

        Assert.Equal("true", (await _harness.SendAsync(CollectionsEndpoints.UpdateAliasesAsync, """{"actions":[{"delete_alias":{"alias_name":"x"}}]}""")).Result);
        Assert.Equal([new DeleteAlias("x")], _harness.Collections.LastAliasOperations!);
        Assert.Equal("""{"aliases":[{"alias_name":"x","collection_name":"a"}]}""", (await _harness.SendAsync(CollectionsEndpoints.ListAliasesAsync)).Result);
        Assert.Equal("""{"aliases":[]}""", (await _harness.SendAsync(CollectionsEndpoints.ListCollectionAliasesAsync, collection: "b")).Result);
    }

    [Fact]
    public async Task Index_CreateAndDelete_AreUpdateOperations()
    {
        var created = await _harness.SendAsync(CollectionsEndpoints.CreateIndexAsync, """{"field_name":"city","field_schema":"keyword"}""", query: "?wait=true");
        Assert.Equal("""{"operation_id":7,"status":"completed"}""", created.Result);
        Assert.Equal(new CreateFieldIndex("city", PayloadSchemaType.Keyword), _harness.Points.LastOperation);

        var deleted = await _harness.SendAsync(CollectionsEndpoints.DeleteIndexAsync, route: new() { ["field_name"] = "city" });
        Assert.Equal("""{"operation_id":7,"status":"acknowledged"}""", deleted.Result);
        Assert.Equal(new DeleteFieldIndex("city"), _harness.Points.LastOperation);
    }
}
