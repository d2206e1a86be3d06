using System.Text;
using System.Text.Json;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AotVector.Protocol.Rest.Tests.Fakes;

/// <summary>Drives a handler in-process over a DefaultHttpContext with a MemoryStream body (no server).</summary>
internal sealed class RestHarness
{
    private readonly ServiceProvider _services;

    public RestHarness()
    {
        _services = new ServiceCollection()
            .AddSingleton<IPointsApi>(Points)
            .AddSingleton<ICollectionsApi>(Collections)
            .AddSingleton<ISnapshotsApi>(Snapshots)
            .BuildServiceProvider();
    }

    public FakePointsApi Points { get; } = new();

    public FakeCollectionsApi Collections { get; } = new();

    public FakeSnapshotsApi Snapshots { get; } = new();

    public async Task<RestResponse> SendAsync(
        Func<RestCall, Task> handler,
        string? body = null,
        string collection = "c",
        string query = "",
        Dictionary<string, string>? route = null,
        AccessContext? access = null,
        CancellationToken aborted = default,
        Stream? bodyStream = null,
        string? contentType = null)
    {
        var context = new DefaultHttpContext { RequestServices = _services, RequestAborted = aborted };
        context.Request.ContentType = contentType;
        context.Request.Method = HttpMethods.Post;
        context.Request.QueryString = query.Length == 0 ? QueryString.Empty : new QueryString(query);
        context.Request.Body = bodyStream ?? new MemoryStream(Encoding.UTF8.GetBytes(body ?? ""));
        if (collection.Length > 0)
        {
            context.Request.RouteValues["name"] = collection;
        }

        foreach (var (key, value) in route ?? [])
        {
            context.Request.RouteValues[key] = value;
        }

        if (access is not null)
        {
            context.Features.Set(access);
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;
        await RestHandler.RunAsync(context, handler);
        return new RestResponse(context.Response.StatusCode, context.Response.ContentType, Encoding.UTF8.GetString(responseBody.ToArray()), context.Response.Headers);
    }
}

internal sealed record RestResponse(int Status, string? ContentType, string Body, IHeaderDictionary Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The "result" of a success envelope, as compact JSON text.</summary>
    public string Result
    {
        get
        {
            Assert.Equal("ok", Json.GetProperty("status").GetString());
            return Json.GetProperty("result").GetRawText();
        }
    }

    public string Error => Json.GetProperty("status").GetProperty("error").GetString()!;
}
