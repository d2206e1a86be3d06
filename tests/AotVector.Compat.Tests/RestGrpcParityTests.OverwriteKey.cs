using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

public sealed partial class RestGrpcParityTests
{
    /// <summary>
    /// Overwrite with a <c>key</c>, as the reference: the key does not narrow the overwrite (its
    /// <c>do_overwrite_payload</c> drops it), so on both wires the whole payload becomes the given object.
    /// </summary>
    [Fact]
    public async Task OverwritePayload_WithKey_ReplacesTheWholePayload_OnBothWires()
    {
        await Rest(HttpMethod.Put, "/collections/overwrite_key", """{"vectors":{"size":2,"distance":"Dot"}}""");
        await Rest(HttpMethod.Put, "/collections/overwrite_key/points?wait=true", """
            {"points":[{"id":1,"vector":[1,0],"payload":{"a":{"b":1,"c":2},"d":3}},{"id":2,"vector":[0,1],"payload":{"a":{"b":1,"c":2},"d":3}}]}
            """);

        await Rest(HttpMethod.Put, "/collections/overwrite_key/points/payload?wait=true", """{"payload":{"x":1},"points":[1],"key":"a"}""");
        await Client.OverwritePayloadAsync("overwrite_key", new Dictionary<string, Value> { ["x"] = 1 }, 2ul, key: "a");

        var points = await Rest(HttpMethod.Post, "/collections/overwrite_key/points", """{"ids":[1,2],"with_payload":true}""");
        Assert.All(points.EnumerateArray(), p => Assert.Equal("""{"x":1}""", p.GetProperty("payload").GetRawText()));
        var grpc = await Client.RetrieveAsync("overwrite_key", new PointId[] { 1ul, 2ul }, withPayload: true);
        Assert.All(grpc, p => Assert.Equal(["x"], p.Payload.Keys));

        // An invalid path is still refused on REST, where the reference parses the key as a JSON path.
        var bad = await RestError(HttpMethod.Put, "/collections/overwrite_key/points/payload?wait=true", """{"payload":{"x":1},"points":[1],"key":"a..b"}""");
        Assert.Equal(400, bad.Status);
    }
}
