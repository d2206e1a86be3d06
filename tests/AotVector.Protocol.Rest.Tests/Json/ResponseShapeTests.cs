using System.Text.RegularExpressions;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

/// <summary>
/// Whole response bodies, byte for byte (only the handler's "time" is masked): the envelope, every fixed-shape
/// result, every enum's wire name, which absent values are null and which are left out, and text written unescaped
/// as serde_json writes it.
/// </summary>
public sealed partial class ResponseShapeTests
{
    private readonly RestHarness _harness = new();

    [Fact]
    public async Task CollectionInfo_EveryOptionalPart()
    {
        _harness.Collections.Info = new CollectionInfo(
            CollectionStatus.Yellow,
            "disk \"full\" in München",
            7,
            5,
            3,
            new CollectionConfig(
                new CollectionParams(
                    new VectorsConfig(null, new Dictionary<string, VectorParams>
                    {
                        ["text"] = new(768, Distance.Dot, new HnswConfigDiff(32, 200, 5, 2, false, 8), false),
                        ["bild-ü"] = new(3, Distance.Manhattan),
                    }),
                    2,
                    3,
                    2,
                    false),
                new HnswConfig(8, 64, 20000, 4, true, 12),
                new OptimizersConfig(0.35, 500, 3, 100000, 2000, null, 7, 2),
                new WalConfig(64, 1, 3)),
            new Dictionary<string, PayloadSchemaInfo>
            {
                ["straße"] = new(PayloadSchemaType.Keyword, 1),
                ["n"] = new(PayloadSchemaType.Integer, 2),
                ["f"] = new(PayloadSchemaType.Float, 3),
                ["loc"] = new(PayloadSchemaType.Geo, 4),
                ["body"] = new(PayloadSchemaType.Text, 5),
                ["ok"] = new(PayloadSchemaType.Bool, 6),
                ["at"] = new(PayloadSchemaType.Datetime, 7),
                ["ref"] = new(PayloadSchemaType.Uuid, 8),
            });

        var body = await BodyAsync(CollectionsEndpoints.GetAsync);

        Assert.Equal(
            """{"result":{"status":"yellow","optimizer_status":{"error":"disk \"full\" in München"},"indexed_vectors_count":5,"points_count":7,"segments_count":3"""
            + ""","config":{"params":{"vectors":{"text":{"size":768,"distance":"Dot","hnsw_config":{"m":32,"ef_construct":200,"full_scan_threshold":5,"max_indexing_threads":2,"on_disk":false,"payload_m":8},"on_disk":false},"bild-ü":{"size":3,"distance":"Manhattan"}}"""
            + ""","shard_number":2,"replication_factor":3,"write_consistency_factor":2,"on_disk_payload":false}"""
            + ""","hnsw_config":{"m":8,"ef_construct":64,"full_scan_threshold":20000,"max_indexing_threads":4,"on_disk":true,"payload_m":12}"""
            + ""","optimizer_config":{"deleted_threshold":0.35,"vacuum_min_vector_number":500,"default_segment_number":3,"max_segment_size":100000,"memmap_threshold":2000,"indexing_threshold":null,"flush_interval_sec":7,"max_optimization_threads":2,"prevent_unoptimized":null}"""
            + ""","wal_config":{"wal_capacity_mb":64,"wal_segments_ahead":1,"wal_retain_closed":3},"quantization_config":null}"""
            + ""","payload_schema":{"straße":{"data_type":"keyword","points":1},"n":{"data_type":"integer","points":2},"f":{"data_type":"float","points":3},"loc":{"data_type":"geo","points":4},"body":{"data_type":"text","points":5},"ok":{"data_type":"bool","points":6},"at":{"data_type":"datetime","points":7},"ref":{"data_type":"uuid","points":8}}"""
            + ""","update_queue":{"length":0}},"status":"ok","time":T}""",
            body);
    }

    [Fact]
    public async Task CollectionInfo_NoVectorsAndNoIndexes()
    {
        var info = _harness.Collections.Info;
        _harness.Collections.Info = info with
        {
            Config = info.Config with { Params = info.Config.Params with { Vectors = new VectorsConfig(null, new Dictionary<string, VectorParams>()) } },
            PayloadSchema = new Dictionary<string, PayloadSchemaInfo>(),
        };

        var body = await BodyAsync(CollectionsEndpoints.GetAsync);

        Assert.Contains("""{"params":{"vectors":{},"shard_number":1,""", body, StringComparison.Ordinal);
        Assert.Contains(""","payload_schema":{},"update_queue":{"length":0}},""", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CollectionStatus.Green, "green")]
    [InlineData(CollectionStatus.Yellow, "yellow")]
    [InlineData(CollectionStatus.Red, "red")]
    [InlineData(CollectionStatus.Grey, "grey")]
    public async Task CollectionStatus_WireNames(CollectionStatus status, string name)
    {
        _harness.Collections.Info = _harness.Collections.Info with { Status = status };
        Assert.StartsWith("{\"result\":{\"status\":\"" + name + "\",\"optimizer_status\":\"ok\",", await BodyAsync(CollectionsEndpoints.GetAsync), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Distance.Cosine, "Cosine")]
    [InlineData(Distance.Euclid, "Euclid")]
    [InlineData(Distance.Dot, "Dot")]
    [InlineData(Distance.Manhattan, "Manhattan")]
    public async Task Distance_WireNames(Distance distance, string name)
    {
        var info = _harness.Collections.Info;
        _harness.Collections.Info = info with
        {
            Config = info.Config with { Params = info.Config.Params with { Vectors = new VectorsConfig(new VectorParams(2, distance, null, true), null) } },
        };

        Assert.Contains("{\"params\":{\"vectors\":{\"size\":2,\"distance\":\"" + name + "\",\"on_disk\":true},", await BodyAsync(CollectionsEndpoints.GetAsync), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_EmptyAndNonAscii()
    {
        _harness.Collections.Names.Clear();
        Assert.Equal("""{"result":{"collections":[]},"status":"ok","time":T}""", await BodyAsync(CollectionsEndpoints.ListAsync));

        _harness.Collections.Names.Add("Straße");
        Assert.Equal("""{"result":{"collections":[{"name":"Straße"}]},"status":"ok","time":T}""", await BodyAsync(CollectionsEndpoints.ListAsync));

        _harness.Collections.Aliases.Add(new("ä<b>", "Straße"));
        Assert.Equal(
            """{"result":{"aliases":[{"alias_name":"x","collection_name":"a"},{"alias_name":"ä<b>","collection_name":"Straße"}]},"status":"ok","time":T}""",
            await BodyAsync(CollectionsEndpoints.ListAliasesAsync));
        Assert.Equal("""{"result":{"exists":true},"status":"ok","time":T}""", await BodyAsync(CollectionsEndpoints.ExistsAsync, collection: "Straße"));
    }

    [Fact]
    public async Task BoolCountAndUpdateResults()
    {
        Assert.Equal("""{"result":true,"status":"ok","time":T}""", await BodyAsync(CollectionsEndpoints.DeleteAsync));
        Assert.Equal("""{"result":false,"status":"ok","time":T}""", await BodyAsync(CollectionsEndpoints.DeleteAsync, collection: "missing"));
        Assert.Equal("""{"result":{"count":42},"status":"ok","time":T}""", await BodyAsync(PointsReadEndpoints.CountAsync));
        Assert.Equal(
            """{"result":{"operation_id":7,"status":"completed"},"status":"ok","time":T}""",
            await BodyAsync(PointsEndpoints.DeleteAsync, """{"points":[1]}""", query: "?wait=true"));
        Assert.Equal(
            """{"result":[{"operation_id":1,"status":"completed"}],"status":"ok","time":T}""",
            await BodyAsync(PointsEndpoints.BatchAsync, """{"operations":[{"delete":{"points":[1]}}]}"""));
    }

    [Fact]
    public async Task UpdateResult_WaitTimeout()
    {
        _harness.Points.UpdateStatus = UpdateStatus.WaitTimeout;
        Assert.Equal(
            """{"result":{"operation_id":7,"status":"wait_timeout"},"status":"ok","time":T}""",
            await BodyAsync(PointsEndpoints.DeleteAsync, """{"points":[1]}""", query: "?wait=true&timeout=1"));
    }

    [Fact]
    public async Task Scroll_NextPageOffset_NumberUuidNull()
    {
        _harness.Points.Records.Add(new PointRecord(PointId.FromNum(1), new Payload { ["ort"] = PayloadValue.FromString("Köln \"Süd\"") }, null));
        _harness.Points.NextPageOffset = PointId.FromNum(2);
        Assert.Equal(
            """{"result":{"points":[{"id":1,"payload":{"ort":"Köln \"Süd\""}}],"next_page_offset":2},"status":"ok","time":T}""",
            await BodyAsync(PointsReadEndpoints.ScrollAsync, "{}"));

        _harness.Points.NextPageOffset = PointId.FromUuid(Guid.Parse("5C56C793-69F3-4FBF-87E6-C4BF54C28C26"));
        Assert.EndsWith(""","next_page_offset":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"},"status":"ok","time":T}""", await BodyAsync(PointsReadEndpoints.ScrollAsync, "{}"), StringComparison.Ordinal);

        _harness.Points.NextPageOffset = null;
        _harness.Points.Records.Clear();
        Assert.Equal("""{"result":{"points":[],"next_page_offset":null},"status":"ok","time":T}""", await BodyAsync(PointsReadEndpoints.ScrollAsync, "{}"));
    }

    [Fact]
    public async Task Query_EmptyAndUuidHits()
    {
        Assert.Equal("""{"result":{"points":[]},"status":"ok","time":T}""", await BodyAsync(QueryEndpoints.QueryAsync, """{"query":[1,2]}"""));

        _harness.Points.Hits.Add(new ScoredPoint(PointId.FromUuid(Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26")), 9, 0.25f, null, new Dictionary<string, VectorData> { [""] = (float[])[1.5f, -2] }));
        Assert.Equal(
            """{"result":{"points":[{"id":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26","version":9,"score":0.25,"vector":[1.5,-2]}]},"status":"ok","time":T}""",
            await BodyAsync(QueryEndpoints.QueryAsync, """{"query":[1,2]}"""));
    }

    [Fact]
    public async Task Error_Envelope_NonAsciiUnescaped()
    {
        _harness.Collections.Error = AvError.CollectionNotFound("Straße");
        var response = await _harness.SendAsync(CollectionsEndpoints.GetAsync, collection: "Straße");
        Assert.Equal(404, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("""{"status":{"error":"Not found: Collection `Straße` doesn't exist!"},"time":T}""", MaskTime(response.Body));
    }

    private async Task<string> BodyAsync(Func<RestCall, Task> handler, string? body = null, string collection = "c", string query = "")
    {
        var response = await _harness.SendAsync(handler, body, collection, query);
        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.ContentType);
        return MaskTime(response.Body);
    }

    /// <summary>The envelope's "time" is the last member and varies: replaced by T after checking it is a number.</summary>
    private static string MaskTime(string body)
    {
        var match = TimeMember().Match(body);
        Assert.True(match.Success, "no time member at the end of " + body);
        return body[..match.Groups[1].Index] + "T}";
    }

    [GeneratedRegex("""\"time\":(-?[0-9][0-9.eE+-]*)\}$""")]
    private static partial Regex TimeMember();
}
