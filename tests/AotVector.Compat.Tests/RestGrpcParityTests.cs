using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AotVector.Testing;
using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace AotVector.Compat.Tests;

/// <summary>The same scenario through REST and through gRPC gives the same points, scores and errors.</summary>
public sealed partial class RestGrpcParityTests : ServerAndClient
{
    private const int Dim = 8;
    [Theory]
    [InlineData("Cosine")]
    [InlineData("Euclid")]
    [InlineData("Dot")]
    [InlineData("Manhattan")]
    public async Task Query_SameHitsAndScores(string distance)
    {
        var name = "parity_" + distance.ToLowerInvariant();
        await Rest(HttpMethod.Put, $"/collections/{name}", "{\"vectors\":{\"size\":" + Dim + ",\"distance\":\"" + distance + "\"}}");
        var vectors = SeededRandom.Vectors(11, 200, Dim);
        var points = string.Join(",", vectors.Select((v, i) =>
            "{\"id\":" + i + ",\"vector\":[" + Floats(v) + "],\"payload\":{\"group\":\"" + (i % 3 == 0 ? "a" : "b") + "\",\"n\":" + i + "}}"));
        await Rest(HttpMethod.Put, $"/collections/{name}/points?wait=true", "{\"points\":[" + points + "]}");

        foreach (var (query, seed) in SeededRandom.Vectors(12, 5, Dim).Select((q, i) => (q, i)))
        {
            var filtered = seed % 2 == 1;
            var filterJson = filtered ? ""","filter":{"must":[{"key":"group","match":{"value":"a"}}]}""" : "";
            var rest = await Rest(HttpMethod.Post, $"/collections/{name}/points/query", $$"""{"query":[{{Floats(query)}}],"limit":10{{filterJson}}}""");
            var restHits = rest.GetProperty("points").EnumerateArray()
                .Select(p => (Id: p.GetProperty("id").GetUInt64(), Score: p.GetProperty("score").GetSingle())).ToArray();

            var grpcHits = await Client.QueryAsync(name, query, filter: filtered ? (Filter)MatchKeyword("group", "a") : null, limit: 10);
            Assert.Equal(restHits.Select(h => h.Id), grpcHits.Select(h => h.Id.Num));
            for (var i = 0; i < restHits.Length; i++)
            {
                Assert.Equal(restHits[i].Score, grpcHits[i].Score, 5);
            }
        }
    }

    [Fact]
    public async Task Errors_SameText()
    {
        await Rest(HttpMethod.Put, "/collections/errs", """{"vectors":{"size":4,"distance":"Dot"}}""");

        var restDim = await RestError(HttpMethod.Put, "/collections/errs/points?wait=true", """{"points":[{"id":1,"vector":[1,2,3]}]}""");
        var grpcDim = await Assert.ThrowsAsync<RpcException>(() => Client.UpsertAsync("errs", [new PointStruct { Id = 1, Vectors = new[] { 1f, 2f, 3f } }]));
        Assert.Equal((400, StatusCode.InvalidArgument), (restDim.Status, grpcDim.StatusCode));
        Assert.Equal(restDim.Message, grpcDim.Status.Detail);

        var restMissing = await RestError(HttpMethod.Get, "/collections/nope", null);
        var grpcMissing = await Assert.ThrowsAsync<RpcException>(() => Client.GetCollectionInfoAsync("nope"));
        Assert.Equal((404, StatusCode.NotFound), (restMissing.Status, grpcMissing.StatusCode));
        Assert.Equal(restMissing.Message, grpcMissing.Status.Detail);

        var restExists = await RestError(HttpMethod.Put, "/collections/errs", """{"vectors":{"size":4,"distance":"Dot"}}""");
        var grpcExists = await Assert.ThrowsAsync<RpcException>(() => Client.CreateCollectionAsync("errs", new VectorParams { Size = 4, Distance = Distance.Dot }));
        Assert.Equal((409, StatusCode.AlreadyExists), (restExists.Status, grpcExists.StatusCode));
        Assert.Equal(restExists.Message, grpcExists.Status.Detail);
    }

    private static string Floats(float[] v) => string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));

    private async Task<JsonElement> Rest(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("result").Clone();
    }

    private async Task<(int Status, string Message)> RestError(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        // An answer without an error (a request accepted that should not be) reads as its whole body.
        return doc.RootElement.GetProperty("status") is { ValueKind: JsonValueKind.Object } status
            ? ((int)response.StatusCode, status.GetProperty("error").GetString()!)
            : ((int)response.StatusCode, "accepted: " + text);
    }
}
