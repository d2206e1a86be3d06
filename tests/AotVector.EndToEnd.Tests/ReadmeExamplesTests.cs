using System.Diagnostics;
using System.Text.Json;
using AotVector.EndToEnd.Tests.Infrastructure;

namespace AotVector.EndToEnd.Tests;

/// <summary>Runs the quick-start curl commands of README.md, verbatim but for the port, against the binary.</summary>
public sealed class ReadmeExamplesTests
{
    private const string BeginMarker = "<!-- readme-e2e:begin -->";
    private const string EndMarker = "<!-- readme-e2e:end -->";

    [Fact]
    public async Task QuickStartCommandsGiveQdrantsResults()
    {
        var commands = ReadCommands();
        Assert.True(commands.Count >= 4, $"expected at least 4 curl commands in README, found {commands.Count}");

        await using var server = await ServerProcess.StartAsync();
        var outputs = new List<string>();
        foreach (var command in commands)
        {
            var local = command.Replace("localhost:6333", $"127.0.0.1:{server.HttpPort}", StringComparison.Ordinal);
            var (exitCode, stdout, stderr) = await RunBashAsync(local);
            var context = $"command:\n{local}\nexit {exitCode}\nstdout: {stdout}\nstderr: {stderr}\n{server.Logs(3000)}";
            Assert.True(exitCode == 0, "curl failed\n" + context);
            Assert.True(stdout.Contains("\"status\":\"ok\"", StringComparison.Ordinal), "no \"status\":\"ok\" in output\n" + context);
            outputs.Add(stdout);
        }

        var queries = commands.Select((c, i) => (c, i)).Where(x => x.c.Contains("/points/query", StringComparison.Ordinal)).Select(x => x.i).ToList();
        Assert.True(queries.Count >= 2, "README should have an unfiltered and a filtered query");

        // Qdrant's quick-start answer for Dot distance.
        var nearest = Parse(outputs[queries[0]]).At("result.points");
        Assert.Equal(["4", "1", "3"], nearest.Ids());
        var scores = nearest.Scores();
        Assert.Equal(1.362, scores[0], 3);
        Assert.Equal(1.273, scores[1], 3);
        Assert.Equal(1.208, scores[2], 3);
        Assert.Equal("New York", nearest.At("0.payload.city").GetString());

        var filtered = Parse(outputs[queries[1]]).At("result.points");
        Assert.Equal(["2"], filtered.Ids());
        Assert.Equal("London", filtered.At("0.payload.city").GetString());
    }

    /// <summary>The curl commands inside the ```bash block between the README markers, one string each.</summary>
    private static List<string> ReadCommands()
    {
        var text = File.ReadAllText(RepoPaths.Readme);
        var begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md lacks the readme-e2e markers");
        var block = text[(begin + BeginMarker.Length)..end];
        var fenceStart = block.IndexOf("```bash", StringComparison.Ordinal);
        var fenceEnd = block.LastIndexOf("```", StringComparison.Ordinal);
        Assert.True(fenceStart >= 0 && fenceEnd > fenceStart, "no ```bash block between the README markers");
        var body = block[(fenceStart + "```bash".Length)..fenceEnd];

        // A command starts at a line beginning with "curl"; continuation lines (backslash, quoted JSON) follow it.
        var commands = new List<string>();
        foreach (var line in body.Split('\n'))
        {
            if (line.StartsWith("curl ", StringComparison.Ordinal))
            {
                commands.Add(line);
            }
            else if (commands.Count > 0 && line.Trim().Length > 0)
            {
                commands[^1] += "\n" + line;
            }
        }

        return commands;
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunBashAsync(string command)
    {
        var info = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
