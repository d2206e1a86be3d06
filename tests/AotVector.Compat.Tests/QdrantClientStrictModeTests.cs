using Grpc.Core;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// The official .NET client (gRPC) with strict mode: set on create, merged by update, read back from collection info;
/// refusals answer INVALID_ARGUMENT with the reference's words, the rate limiter RESOURCE_EXHAUSTED with retry-after.
/// </summary>
public sealed class QdrantClientStrictModeTests : ServerAndClient
{
    [Fact]
    public async Task StrictMode_SetReadAndEnforced_OverGrpc()
    {
        await Client.CreateCollectionAsync(
            "strict",
            new VectorParams { Size = 4, Distance = Distance.Dot },
            strictModeConfig: new StrictModeConfig
            {
                Enabled = true,
                MaxQueryLimit = 5,
                SearchAllowExact = false,
                MultivectorConfig = new StrictModeMultivectorConfig { MultivectorConfig = { ["colbert"] = new StrictModeMultivector { MaxVectors = 8 } } },
            });
        await Client.UpsertAsync("strict", [new PointStruct { Id = 1, Vectors = new[] { 1f, 0, 0, 0 } }]);
        await Client.UpdateCollectionAsync("strict", strictModeConfig: new StrictModeConfig { ReadRateLimit = 3, MaxQueryLimit = 6 });

        var shown = (await Client.GetCollectionInfoAsync("strict")).Config.StrictModeConfig;
        Assert.True(shown.Enabled);
        Assert.Equal(6u, shown.MaxQueryLimit);
        Assert.False(shown.SearchAllowExact);
        Assert.Equal(3u, shown.ReadRateLimit);
        Assert.Equal(8ul, shown.MultivectorConfig.MultivectorConfig["colbert"].MaxVectors);
        Assert.False(shown.HasWriteRateLimit);

        var tooMany = await Assert.ThrowsAsync<RpcException>(() => Client.QueryAsync("strict", new[] { 1f, 0, 0, 0 }, limit: 7));
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Equal("Bad request: Limit exceeded 7 > 6 for \"limit\". Help: Reduce the \"limit\" parameter to or below 6.", tooMany.Status.Detail);
        var exact = await Assert.ThrowsAsync<RpcException>(() => Client.SearchAsync("strict", new[] { 1f, 0, 0, 0 }, limit: 1, searchParams: new SearchParams { Exact = true }));
        Assert.Equal("Bad request: Exact search disabled!. Help: Set exact=false.", exact.Status.Detail);

        // Three reads a minute; the two refusals above were refused before the limiter, so three more pass and the next does not.
        for (var i = 0; i < 3; i++)
        {
            await Client.QueryAsync("strict", new[] { 1f, 0, 0, 0 }, limit: 1);
        }

        var limited = await Assert.ThrowsAsync<RpcException>(() => Client.QueryAsync("strict", new[] { 1f, 0, 0, 0 }, limit: 1));
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.StartsWith("Rate limiting exceeded: Read rate limit exceeded: Operation requires 1 tokens", limited.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(limited.Trailers.Get("retry-after"));
    }
}
