using AotVector.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AotVector.Server.Tests.Hosting;

public sealed class RequestSchedulingTests
{
    [Theory]
    [InlineData("/qdrant.Points/Query", true)]
    [InlineData("/qdrant.Points/Search", true)]
    [InlineData("/qdrant.Points/Get", true)]
    [InlineData("/qdrant.Points/Upsert", false)]
    [InlineData("/qdrant.Points/QueryBatch", false)]
    [InlineData("/qdrant.Points/Scroll", false)]
    [InlineData("/qdrant.Collections/Create", false)]
    [InlineData("/collections/c/points/query", false)]
    [InlineData(null, false)]
    public void OnlySingleQueryReadsAreShort(string? path, bool expected) =>
        Assert.Equal(expected, RequestScheduling.IsShortGrpcRead(path));

    [Theory]
    [InlineData("POST", "/collections/c/points/search", true)]
    [InlineData("POST", "/collections/my-coll/points/query", true)]
    [InlineData("POST", "/collections/c/points/recommend", true)]
    [InlineData("POST", "/collections/c/points/count", true)]
    [InlineData("POST", "/collections/c/points/search/batch", false)]
    [InlineData("POST", "/collections/c/points/query/groups", false)]
    [InlineData("POST", "/collections/c/points/scroll", false)]
    [InlineData("PUT", "/collections/c/points", false)]
    [InlineData("GET", "/collections/c/points/search", false)]
    [InlineData("POST", "/collections//points/search", false)]
    [InlineData("POST", "/collections/c/x/points/search", false)]
    [InlineData("POST", "/qdrant.Points/Query", false)]
    public void OnlySingleRestReadsAreShort(string method, string path, bool expected) =>
        Assert.Equal(expected, RequestScheduling.IsShortRestRead(method, path));

    [Fact]
    public void KestrelScheduling_SelectsInlineOnThisKestrel_AndLeavesOtherServersAlone()
    {
        // Fails when an ASP.NET Core update renames the internal member: the server would then log a warning and
        // hand every HTTP/2 request over, which is correct but slower.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelCore();
        using var app = builder.Build();
        Assert.True(KestrelScheduling.TryUseInline(app.Services.GetRequiredService<IServer>()));
        Assert.False(KestrelScheduling.TryUseInline(new NotKestrel()));
    }

    private sealed class NotKestrel : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
