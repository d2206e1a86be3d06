using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>Configuration mistakes at startup: one clear line, never a stack trace; unknown keys only warn.</summary>
public sealed class ConfigStartupTests
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task BadPortInEnvironmentStopsStartupWithOneLine()
    {
        await using var server = ServerProcess.Launch(new ServerOptions().WithEnv("QDRANT__SERVICE__HTTP_PORT", "abc"));
        var exitCode = await server.WaitForExitAsync(s_exitTimeout);

        var context = $"exit code {exitCode}\n{server.Logs()}";
        Assert.True(exitCode != 0, "a bad port must stop startup with a non-zero exit code\n" + context);
        var lines = server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "stderr should be exactly one line\n" + context);
        Assert.True(lines[0].Contains("service.http_port", StringComparison.Ordinal), "the line names the key\n" + context);
        Assert.False(server.StandardOutput.Contains("   at ", StringComparison.Ordinal), "no stack trace on stdout\n" + context);
    }

    [Fact]
    public async Task PortInUseStopsStartupWithOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = ServerProcess.Launch(new ServerOptions().WithEnv("QDRANT__SERVICE__HTTP_PORT", port.ToString(CultureInfo.InvariantCulture)));
        var exitCode = await server.WaitForExitAsync(s_exitTimeout);

        var context = $"exit code {exitCode}\n{server.Logs()}";
        Assert.True(exitCode != 0, "a port in use must stop startup with a non-zero exit code\n" + context);
        var lines = server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "stderr should be exactly one line\n" + context);
        Assert.True(lines[0].Contains("cannot listen", StringComparison.Ordinal) && lines[0].Contains(port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
            "the line says what failed and names the port\n" + context);
        Assert.False(server.StandardOutput.Contains("   at ", StringComparison.Ordinal), "no stack trace on stdout\n" + context);
    }

    [Fact]
    public async Task BadValueInConfigFileNamesKeyAndFile()
    {
        await using var server = ServerProcess.Create(new ServerOptions().WithArgs("--config-path", "broken.yaml"));
        server.WriteFile("broken.yaml", "storage:\n  wal:\n    wal_capacity_mb: lots\n");
        server.Start();
        var exitCode = await server.WaitForExitAsync(s_exitTimeout);

        var context = $"exit code {exitCode}\n{server.Logs()}";
        Assert.True(exitCode != 0, "a bad value must stop startup\n" + context);
        var lines = server.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "stderr should be exactly one line\n" + context);
        Assert.True(lines[0].Contains("storage.wal.wal_capacity_mb", StringComparison.Ordinal), "the line names the key\n" + context);
        Assert.True(lines[0].Contains("broken.yaml", StringComparison.Ordinal), "the line names the file\n" + context);
    }

    [Fact]
    public async Task UnknownKeyInConfigFileWarnsButStarts()
    {
        await using var server = ServerProcess.Create(new ServerOptions().WithArgs("--config-path", "custom.yaml"));
        server.WriteFile("custom.yaml", "service:\n  max_request_size_mb: 16\n  definitely_not_a_qdrant_key: 1\nlog_level: INFO\n");
        server.Start();
        await server.WaitReadyAsync();

        // Output is read asynchronously, so give the captured log a moment to catch up with readiness.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Logged(server) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Logged(server), "the unknown key is named in a warning\n" + server.Logs());
        var line = (server.StandardOutput + "\n" + server.StandardError).Split('\n').First(l => l.Contains("definitely_not_a_qdrant_key", StringComparison.Ordinal));
        Assert.True(line.Contains("warn", StringComparison.OrdinalIgnoreCase), "logged as a warning: " + line + "\n" + server.Logs());
        (await server.GetAsync("/")).Expect(200);
    }

    private static bool Logged(ServerProcess server) =>
        (server.StandardOutput + server.StandardError).Contains("definitely_not_a_qdrant_key", StringComparison.Ordinal);
}
