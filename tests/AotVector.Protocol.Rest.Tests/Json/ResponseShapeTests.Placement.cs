using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;

namespace AotVector.Protocol.Rest.Tests.Json;

public sealed partial class ResponseShapeTests
{
    [Fact]
    public async Task CollectionInfo_PayloadMemory_IsShownWhenGiven_AfterOnDiskPayload()
    {
        var info = _harness.Collections.Info;
        _harness.Collections.Info = info with { Config = info.Config with { Params = info.Config.Params with { OnDiskPayload = false, PayloadMemory = "cached" } } };

        var body = await BodyAsync(CollectionsEndpoints.GetAsync);

        Assert.Contains(""","on_disk_payload":false,"payload":{"memory":"cached"}}""", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectionInfo_PayloadMemory_IsLeftOutWhenNotGiven()
    {
        var body = await BodyAsync(CollectionsEndpoints.GetAsync);
        Assert.DoesNotContain("\"payload\":{", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectionInfo_VectorMemory_IsShownAfterOnDisk()
    {
        var info = _harness.Collections.Info;
        var vectors = new VectorsConfig(new VectorParams(4, Distance.Cosine, OnDisk: true) { Memory = "cached" }, null);
        _harness.Collections.Info = info with { Config = info.Config with { Params = info.Config.Params with { Vectors = vectors } } };

        var body = await BodyAsync(CollectionsEndpoints.GetAsync);

        Assert.Contains("""{"params":{"vectors":{"size":4,"distance":"Cosine","on_disk":true,"memory":"cached"},""", body, StringComparison.Ordinal);
    }
}
