using System.Net;
using System.Text;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AotVector.Protocol.Rest.Tests;

/// <summary>The route table through real endpoint routing: Kestrel on a loopback port chosen by the OS, engine fakes behind it.</summary>
public sealed class RestEndpointsTests : IAsyncLifetime
{
    private readonly FakePointsApi _points = new();
    private readonly FakeCollectionsApi _collections = new();
    private WebApplication? _app;
    private HttpClient? _client;

    public static TheoryData<string, string, string?> Routes => new()
    {
        { "GET", "/", null },
        { "GET", "/healthz", null },
        { "GET", "/livez", null },
        { "GET", "/readyz", null },
        { "GET", "/collections", null },
        { "PUT", "/collections/c", """{"vectors":{"size":2,"distance":"Dot"}}""" },
        { "GET", "/collections/c", null },
        { "PATCH", "/collections/c", "{}" },
        { "DELETE", "/collections/c", null },
        { "GET", "/collections/c/exists", null },
        { "POST", "/collections/aliases", """{"actions":[]}""" },
        { "GET", "/aliases", null },
        { "GET", "/collections/c/aliases", null },
        { "PUT", "/collections/c/index", """{"field_name":"a","field_schema":"keyword"}""" },
        { "DELETE", "/collections/c/index/a", null },
        { "PUT", "/collections/c/points", """{"points":[{"id":1,"vector":[1,2]}]}""" },
        { "POST", "/collections/c/points", """{"ids":[1]}""" },
        { "POST", "/collections/c/points/delete", """{"points":[1]}""" },
        { "POST", "/collections/c/points/payload", """{"payload":{},"points":[1]}""" },
        { "PUT", "/collections/c/points/payload", """{"payload":{},"points":[1]}""" },
        { "POST", "/collections/c/points/payload/delete", """{"keys":["a"],"points":[1]}""" },
        { "POST", "/collections/c/points/payload/clear", """{"points":[1]}""" },
        { "PUT", "/collections/c/points/vectors", """{"points":[{"id":1,"vector":[1,2]}]}""" },
        { "POST", "/collections/c/points/vectors/delete", """{"points":[1],"vector":[""]}""" },
        { "POST", "/collections/c/points/batch", """{"operations":[]}""" },
        { "POST", "/collections/c/points/scroll", "{}" },
        { "POST", "/collections/c/points/count", "{}" },
        { "POST", "/collections/c/points/query", "{}" },
        { "POST", "/collections/c/points/query/batch", """{"searches":[]}""" },
        { "POST", "/collections/c/points/search", """{"vector":[1,2],"limit":1}""" },
        { "POST", "/collections/c/points/search/batch", """{"searches":[]}""" },
        { "POST", "/collections/c/points/recommend", """{"positive":[1],"limit":1}""" },
        { "POST", "/collections/c/points/recommend/batch", """{"searches":[]}""" },
    };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IPointsApi>(_points).AddSingleton<ICollectionsApi>(_collections);
        _app = builder.Build();
        _app.UseTrailingSlashTrim();
        _app.UseRouting();
        _app.MapQdrantRest();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_ReachesHandler(string method, string path, string? body)
    {
        _points.Hits.Add(new ScoredPoint(1, 1, 0.5f, null, null));
        _points.Records.Add(new PointRecord(1, null, null));
        using var response = await SendAsync(method, path, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/collections/")]
    [InlineData("/collections//c//exists")]
    [InlineData("/collections/c/exists/")]
    public async Task Route_TrailingAndDoubleSlash_Normalized(string path)
    {
        using var response = await SendAsync("GET", path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("{\"result\":", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Route_GetPointById()
    {
        _points.Records.Add(new PointRecord(7, null, null));
        using var response = await SendAsync("GET", "/collections/c/points/7", null);
        Assert.Equal("{\"id\":7}", System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("result").GetRawText());
    }

    [Fact]
    public async Task Route_UnknownPath_404()
    {
        using var response = await SendAsync("GET", "/nope", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return _client!.SendAsync(request);
    }
}
