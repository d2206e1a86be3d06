using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Json;
using AotVector.Protocol.Rest.Tests.Fakes;

namespace AotVector.Protocol.Rest.Tests.Json;

/// <summary>The reference's payload storage params and collection uuid on create, and payload storage on update.</summary>
public sealed class PlacementRequestReaderTests
{
    private static CreateCollectionRequest Create(string json) => Body.Ok(json, e => CollectionRequestReader.ReadCreate(e, "c"));

    [Theory]
    [InlineData("cold")]
    [InlineData("cached")]
    [InlineData("pinned")] // read; the engine refuses it as the reference does
    public void ReadCreate_PayloadMemory(string memory)
    {
        var request = Create("""{"vectors":{"size":4,"distance":"Cosine"},"payload":{"memory":"MEM"}}""".Replace("MEM", memory, StringComparison.Ordinal));
        Assert.Equal(memory, request.PayloadMemory);
    }

    [Fact]
    public void ReadCreate_PayloadAbsentOrEmpty_HasNoMemory()
    {
        Assert.Null(Create("""{"payload":null}""").PayloadMemory);
        Assert.Null(Create("""{"payload":{}}""").PayloadMemory);
        Assert.Null(Create("""{"payload":{"memory":null}}""").PayloadMemory);
    }

    [Fact]
    public void ReadCreate_BadPayloadMemory_IsRefused()
    {
        Assert.Contains("unknown variant `warm`", Body.Fail("""{"payload":{"memory":"warm"}}""", e => CollectionRequestReader.ReadCreate(e, "c")).Message, StringComparison.Ordinal);
        Assert.Contains("on_disk", Body.Fail("""{"payload":{"on_disk":true}}""", e => CollectionRequestReader.ReadCreate(e, "c")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCreate_Uuid_IsRefused_NotDropped()
    {
        var error = Body.Fail("""{"uuid":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"}""", e => CollectionRequestReader.ReadCreate(e, "c"));
        Assert.Equal(PayloadStorage.CollectionUuid.Message, error.Message);
        Assert.Null(Create("""{"uuid":null}""").PayloadMemory);
    }

    [Fact]
    public void ReadUpdate_ParamsPayloadMemory()
    {
        var request = Body.Ok("""{"params":{"payload":{"memory":"cached"},"on_disk_payload":true}}""", e => CollectionRequestReader.ReadUpdate(e, "c"));
        Assert.Equal("cached", request.PayloadMemory);
        Assert.True(request.OnDiskPayload);
        Assert.Null(Body.Ok("""{"params":{}}""", e => CollectionRequestReader.ReadUpdate(e, "c")).PayloadMemory);
    }

    [Fact]
    public void ReadVectorMemory_OnCreateAndUpdate()
    {
        Assert.Equal("cold", Create("""{"vectors":{"size":4,"distance":"Cosine","on_disk":false,"memory":"cold"}}""").Vectors.Single!.Memory);
        Assert.Equal("cached", Create("""{"vectors":{"a":{"size":4,"distance":"Cosine","memory":"cached"}}}""").Vectors.Named!["a"].Memory);
        Assert.Null(Create("""{"vectors":{"size":4,"distance":"Cosine"}}""").Vectors.Single!.Memory);
        Assert.Contains("unknown variant `hot`", Body.Fail("""{"vectors":{"size":4,"distance":"Cosine","memory":"hot"}}""", e => CollectionRequestReader.ReadCreate(e, "c")).Message, StringComparison.Ordinal);

        var update = Body.Ok("""{"vectors":{"":{"memory":"cached"}}}""", e => CollectionRequestReader.ReadUpdate(e, "c"));
        Assert.Equal("cached", update.Vectors![""].Memory);
    }
}
