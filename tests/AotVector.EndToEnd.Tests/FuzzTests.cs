using AotVector.EndToEnd.Tests.Fuzz;
using Xunit.Abstractions;

namespace AotVector.EndToEnd.Tests;

/// <summary>
/// A seeded fuzz run against the published server (perf/AotVector.Fuzz runs longer ones): no input may get a 5xx,
/// a gRPC UNKNOWN/INTERNAL/DATA_LOSS, or an error-level line or stack trace in the server's log, and the server
/// must still answer afterwards.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20_251_207;

    [Fact]
    public async Task Mutated_rest_and_grpc_requests_get_client_errors_and_leave_no_trace()
    {
        await using var server = await ServerProcess.StartAsync();

        var report = await Fuzzer.RunAsync(server, Seed, restCount: 4000, grpcCount: 4000);

        output.WriteLine(report.ToString());
        Assert.True(report.FailureCount == 0, report + server.Logs());
        using var health = await server.Http.GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.False(server.HasExited);
        var problems = LogProblems.Find(server.StandardOutput + server.StandardError);
        Assert.True(problems.Count == 0, $"{problems.Count} error or stack-trace lines in the server log, the first:\n{string.Join('\n', problems.Take(5))}");
    }
}
