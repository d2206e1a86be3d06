using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Payload index parameters on both wires: indexes made over REST and with the official .NET client show their params
/// in the payload schema as the reference writes them (integer's lookup, range and is_principal even when unset), a
/// bare type shows none; an integer index without range cannot order (the same refusal on both wires) yet still
/// filters; a scroll-form query scores 1.0 on both.
/// </summary>
public sealed partial class RestGrpcParityTests
{
    [Fact]
    public async Task IndexParams_ShownAsCreated_AndHonoured_SameOnBothWires()
    {
        const string name = "index_params";
        await Rest(HttpMethod.Put, $"/collections/{name}", """{"vectors":{"size":2,"distance":"Dot"}}""");
        var points = string.Join(",", Enumerable.Range(1, 12).Select(i =>
            $$$"""{"id":{{{i}}},"vector":[1,0],"payload":{"tenant":"t{{{i % 3}}}","n":{{{i % 4}}},"m":{{{i}}},"f":{{{(i / 2.0).ToString(System.Globalization.CultureInfo.InvariantCulture)}}}}}"""));
        await Rest(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[" + points + "]}");

        await Rest(HttpMethod.Put, $"/collections/{name}/index?wait=true", """{"field_name":"tenant","field_schema":{"type":"keyword","is_tenant":true,"enable_hnsw":false}}""");
        await Rest(HttpMethod.Put, $"/collections/{name}/index?wait=true", """{"field_name":"n","field_schema":{"type":"integer","lookup":true,"range":false}}""");
        await Rest(HttpMethod.Put, $"/collections/{name}/index?wait=true", """{"field_name":"bare","field_schema":"uuid"}""");
        await Client.CreatePayloadIndexAsync(name, "m", PayloadSchemaType.Integer, indexParams: new PayloadIndexParams
        {
            IntegerIndexParams = new IntegerIndexParams { IsPrincipal = true, Range = true },
        });
        await Client.CreatePayloadIndexAsync(name, "f", PayloadSchemaType.Float, indexParams: new PayloadIndexParams { FloatIndexParams = new FloatIndexParams() });

        var schema = (await Rest(HttpMethod.Get, $"/collections/{name}", null)).GetProperty("payload_schema");
        Assert.Equal("""{"type":"keyword","is_tenant":true,"enable_hnsw":false}""", schema.GetProperty("tenant").GetProperty("params").GetRawText());
        Assert.Equal("""{"type":"integer","lookup":true,"range":false,"is_principal":null}""", schema.GetProperty("n").GetProperty("params").GetRawText());
        Assert.Equal("""{"type":"integer","lookup":null,"range":true,"is_principal":true}""", schema.GetProperty("m").GetProperty("params").GetRawText());
        Assert.Equal("""{"type":"float","is_principal":null}""", schema.GetProperty("f").GetProperty("params").GetRawText());
        Assert.False(schema.GetProperty("bare").TryGetProperty("params", out _));
        Assert.Equal(12, schema.GetProperty("n").GetProperty("points").GetInt32());

        var grpc = (await Client.GetCollectionInfoAsync(name)).PayloadSchema;
        Assert.True(grpc["tenant"].Params.KeywordIndexParams.IsTenant);
        Assert.False(grpc["tenant"].Params.KeywordIndexParams.EnableHnsw);
        Assert.False(grpc["tenant"].Params.KeywordIndexParams.HasMemory);
        Assert.True(grpc["n"].Params.IntegerIndexParams.Lookup);
        Assert.False(grpc["n"].Params.IntegerIndexParams.Range);
        Assert.False(grpc["n"].Params.IntegerIndexParams.HasIsPrincipal);
        Assert.True(grpc["m"].Params.IntegerIndexParams.IsPrincipal);
        Assert.False(grpc["m"].Params.IntegerIndexParams.HasLookup);
        Assert.Equal(PayloadIndexParams.IndexParamsOneofCase.FloatIndexParams, grpc["f"].Params.IndexParamsCase);
        Assert.Null(grpc["bare"].Params);

        // Without range: no ordering, the same refusal on both wires; a range filter still answers (each point checked).
        var refusal = await RestError(HttpMethod.Post, $"/collections/{name}/points/scroll", """{"order_by":"n"}""");
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => Client.ScrollAsync(name, orderBy: new OrderBy { Key = "n" }));
        Assert.StartsWith("Wrong input: No range index for `order_by` key: `n`.", refusal.Message);
        Assert.Equal(refusal.Message, refused.Status.Detail);
        var restRange = await Rest(HttpMethod.Post, $"/collections/{name}/points/count", """{"filter":{"must":[{"key":"n","range":{"gte":2}}]},"exact":true}""");
        var grpcRange = await Client.CountAsync(name, new Filter { Must = { new Condition { Field = new FieldCondition { Key = "n", Range = new Qdrant.Client.Grpc.Range { Gte = 2 } } } } }, exact: true);
        Assert.Equal(6ul, restRange.GetProperty("count").GetUInt64());
        Assert.Equal(6ul, grpcRange);

        // Ordered by the principal field from a start value; the scroll-form query scores 1.0.
        var restOrdered = await Rest(HttpMethod.Post, $"/collections/{name}/points/scroll", """{"order_by":{"key":"m","direction":"desc","start_from":9},"limit":3}""");
        var grpcOrdered = await Client.ScrollAsync(name, limit: 3, orderBy: new OrderBy { Key = "m", Direction = Direction.Desc, StartFrom = new StartFrom { Integer = 9 } });
        Assert.Equal([9ul, 8, 7], restOrdered.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()));
        Assert.Equal([9ul, 8, 7], grpcOrdered.Result.Select(p => p.Id.Num));
        var restQuery = await Rest(HttpMethod.Post, $"/collections/{name}/points/query", """{"filter":{"must":[{"key":"tenant","match":{"value":"t1"}}]},"limit":10}""");
        var grpcQuery = await Client.QueryAsync(name, filter: new Filter { Must = { new Condition { Field = new FieldCondition { Key = "tenant", Match = new Match { Keyword = "t1" } } } } }, limit: 10);
        Assert.Equal([1ul, 4, 7, 10], restQuery.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetUInt64()));
        Assert.All(restQuery.GetProperty("points").EnumerateArray(), p => Assert.Equal(1f, p.GetProperty("score").GetSingle()));
        Assert.Equal([1ul, 4, 7, 10], grpcQuery.Select(p => p.Id.Num));
        Assert.All(grpcQuery, p => Assert.Equal(1f, p.Score));
    }
}
