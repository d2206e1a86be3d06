using System.Text;
using System.Text.Json;
using Qdrant.Client.Grpc;

namespace AotVector.Compat.Tests;

/// <summary>
/// Collection metadata through the official .NET client (gRPC) and REST: set on create, merged by update (a null
/// removes its key), shown alike by both wires' collection info, kept through a restart.
/// </summary>
public sealed class QdrantClientMetadataTests : ServerAndClient
{
    [Fact]
    public async Task Metadata_CreateUpdateInfoRestart_OnBothWires()
    {
        await Client.CreateCollectionAsync(
            "meta_grpc",
            new VectorParams { Size = 2, Distance = Distance.Dot },
            new Dictionary<string, Value> { ["team"] = "search", ["drop"] = true, ["dims"] = 384 });
        await Client.UpdateCollectionAsync(
            "meta_grpc",
            new Dictionary<string, Value> { ["drop"] = new Value { NullValue = NullValue.NullValue }, ["since"] = 2.5 });

        await Send(HttpMethod.Put, "/collections/meta_rest", """{"vectors":{"size":2,"distance":"Dot"},"metadata":{"team":"search","drop":true,"dims":384}}""");
        await Send(HttpMethod.Patch, "/collections/meta_rest", """{"metadata":{"drop":null,"since":2.5}}""");

        const string expected = """{"team":"search","dims":384,"since":2.5}""";
        foreach (var name in new[] { "meta_grpc", "meta_rest" })
        {
            await AssertShownAsync(name, expected);
        }

        await Server.RestartAsync();
        foreach (var name in new[] { "meta_grpc", "meta_rest" })
        {
            await AssertShownAsync(name, expected);
        }
    }

    [Fact]
    public async Task NoMetadata_IsAbsentOnBothWires()
    {
        await Client.CreateCollectionAsync("plain", new VectorParams { Size = 2, Distance = Distance.Dot });

        Assert.Empty((await Client.GetCollectionInfoAsync("plain")).Config.Metadata);
        using var doc = JsonDocument.Parse(await Send(HttpMethod.Get, "/collections/plain", null));
        Assert.False(doc.RootElement.GetProperty("result").GetProperty("config").TryGetProperty("metadata", out _));
    }

    private async Task AssertShownAsync(string name, string expected)
    {
        using var doc = JsonDocument.Parse(await Send(HttpMethod.Get, $"/collections/{name}", null));
        Assert.Equal(expected, doc.RootElement.GetProperty("result").GetProperty("config").GetProperty("metadata").GetRawText());

        var grpc = (await Client.GetCollectionInfoAsync(name)).Config.Metadata;
        Assert.Equal(["dims", "since", "team"], grpc.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("search", grpc["team"].StringValue);
        Assert.Equal(384, grpc["dims"].IntegerValue);
        Assert.Equal(2.5, grpc["since"].DoubleValue);
    }

    private async Task<string> Send(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
