using System.Diagnostics;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// The official <c>@qdrant/js-client-rest</c> 1.19.0 drives the binary through the scripts in tests/js: scenario.mjs
/// (the everyday calls), query-tree.mjs (prefetch and fusion, checked against a brute-force ranking), snapshots.mjs,
/// hybrid.mjs (the reference's dense + sparse hybrid example, and a multivector added and removed on the live collection),
/// aggregates.mjs (grouped queries, facets and the distance matrix, checked against brute force), query-kinds.mjs
/// (discovery, context, order_by and random samples), formula-mmr.mjs (formula queries and MMR), full-text.mjs
/// (the text index and BM25 documents) and geo-slice.mjs (the geo index and filters, slices).
/// </summary>
public sealed class JsClientTests
{
    [Theory]
    [InlineData("scenario.mjs")]
    [InlineData("query-tree.mjs")]
    [InlineData("snapshots.mjs")]
    [InlineData("hybrid.mjs")]
    [InlineData("aggregates.mjs")]
    [InlineData("query-kinds.mjs")]
    [InlineData("formula-mmr.mjs")]
    [InlineData("full-text.mjs")]
    [InlineData("geo-slice.mjs")]
    public async Task OfficialJsClientScenarioPasses(string script)
    {
        var js = RepoPaths.JsFolder;
        if (!Directory.Exists(Path.Combine(js, "node_modules", "@qdrant", "js-client-rest")))
        {
            Assert.Fail($"{js}/node_modules is missing: run ./build.sh test (it runs `npm ci` in tests/js) or `cd tests/js && npm ci`.");
        }

        await using var server = await ServerProcess.StartAsync();

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = js,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(js, script));
        info.ArgumentList.Add(server.BaseUri.ToString().TrimEnd('/'));
        // Where the server keeps its files (snapshots.mjs recovers from a file:// location there); others ignore it.
        info.ArgumentList.Add(server.WorkingDirectory);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"node {script} timed out\nstdout: {await stdout}\nstderr: {await stderr}\n{server.Logs()}");
        }

        var output = $"node exit {node.ExitCode}\nstdout: {await stdout}\nstderr: {await stderr}\n{server.Logs()}";
        Assert.True(node.ExitCode == 0, $"the JS client {script} failed\n" + output);
    }
}
