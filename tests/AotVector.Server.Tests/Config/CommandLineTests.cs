using AotVector.Server.Config;

namespace AotVector.Server.Tests.Config;

/// <summary>The reference's flags: help and version win, unknown words fail, unsupported flags are refused or warned.</summary>
public sealed class CommandLineTests
{
    private static string? NoEnvironment(string name) => null;

    [Theory]
    [InlineData(nameof(CommandLineAction.Run))]
    [InlineData(nameof(CommandLineAction.Help), "--help")]
    [InlineData(nameof(CommandLineAction.Help), "-h")]
    [InlineData(nameof(CommandLineAction.Version), "-V")]
    [InlineData(nameof(CommandLineAction.Help), "--snapshot", "a:b", "--help")]
    [InlineData(nameof(CommandLineAction.Version), "--no-such-flag", "--version")]
    [InlineData(nameof(CommandLineAction.Run), "--config-path", "c.yaml", "--disable-telemetry")]
    [InlineData(nameof(CommandLineAction.Run), "--config-path=c.yaml")]
    public void Parse_Action(string expected, params string[] args)
    {
        Assert.True(CommandLine.TryParse(args, NoEnvironment, out var commandLine, out var error), error);
        Assert.Equal(expected, commandLine!.Action.ToString());
    }

    [Theory]
    [InlineData("unknown argument '--nope' (see --help)", "--nope")]
    [InlineData("unknown argument '--nope' (see --help)", "--nope=1")]
    [InlineData("unexpected argument 'serve' (see --help)", "serve")]
    [InlineData("--config-path: expected a value <PATH> after it", "--config-path")]
    [InlineData("--disable-telemetry: takes no value", "--disable-telemetry=yes")]
    [InlineData("--snapshot: the collection name is missing in '/s.snapshot' (expected PATH:NAME)", "--snapshot", "/s.snapshot")]
    [InlineData("--snapshot: the collection name is missing in '/s.snapshot:' (expected PATH:NAME)", "--snapshot=/s.snapshot:")]
    [InlineData("--snapshot: the snapshot path is missing in ':c' (expected PATH:NAME)", "--collection-snapshot", ":c")]
    [InlineData("--snapshot: the collection name must not contain slashes: '/s.snapshot:a/b'", "--snapshot", "/s.snapshot:a/b")]
    [InlineData("--snapshot: expected a value <PATH:NAME> after it", "--snapshot")]
    [InlineData("--storage-snapshot: the snapshot path is empty", "--storage-snapshot=")]
    [InlineData("--stacktrace is not supported yet", "--stacktrace")]
    public void Parse_Fails_WithOneLine(string expected, params string[] args)
    {
        Assert.False(CommandLine.TryParse(args, NoEnvironment, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Parse_SnapshotFlags_AreKeptForTheStartupRestore()
    {
        Assert.True(CommandLine.TryParse(
            ["--snapshot", "/a/x.snapshot:one", "--collection-snapshot=C:/b/y.snapshot:two", "-f", "--storage-snapshot", "/full.snapshot"],
            NoEnvironment,
            out var commandLine,
            out var error),
            error);

        var snapshots = commandLine!.Snapshots;
        Assert.Equal([("/a/x.snapshot", "one"), ("C:/b/y.snapshot", "two")], snapshots.Collections);
        Assert.Equal("/full.snapshot", snapshots.Storage);
        Assert.True(snapshots.Force);
        Assert.False(snapshots.IsEmpty);
    }

    [Fact]
    public void Parse_NoSnapshotFlags_RestoresNothing()
    {
        Assert.True(CommandLine.TryParse([], NoEnvironment, out var commandLine, out _));

        Assert.True(commandLine!.Snapshots.IsEmpty);
        Assert.False(commandLine.Snapshots.Force);
    }

    [Fact]
    public void Parse_ClusterFlagsAndVariables_AreRead_ReinitWarns()
    {
        var environment = new Dictionary<string, string> { ["QDRANT_URI"] = "http://me:6335" };

        Assert.True(CommandLine.TryParse(["--bootstrap", "http://peer:6335", "--reinit"], n => environment.GetValueOrDefault(n), out var commandLine, out _));

        Assert.Equal("http://peer:6335", commandLine!.Bootstrap);
        Assert.Equal("http://me:6335", commandLine.Uri);
        Assert.Equal(["--reinit has no effect: resetting the consensus state is not supported yet"], commandLine.Warnings);
    }

    [Theory]
    [InlineData("--uri", "peer-1:6335")]
    [InlineData("--bootstrap", "ftp://peer:6335")]
    public void Parse_PeerUriThatIsNotHttp_IsAnError(string flag, string value)
    {
        Assert.False(CommandLine.TryParse([flag, value], NoEnvironment, out _, out var error));

        Assert.StartsWith(flag + ": ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_ListsEveryFlag_MarkingTheUnsupported()
    {
        var lines = CommandLine.Usage("1.2.3").Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();

        foreach (var flag in new[] { "--stacktrace", "--reinit" })
        {
            Assert.Contains("Not supported yet", lines.Single(l => l.Contains(flag, StringComparison.Ordinal)), StringComparison.Ordinal);
        }

        foreach (var flag in new[] { "--bootstrap", "--uri", "--config-path", "--disable-telemetry", "--force-snapshot", "--snapshot <", "--storage-snapshot", "--help", "--version" })
        {
            Assert.DoesNotContain("Not supported yet", lines.Single(l => l.Contains(flag, StringComparison.Ordinal)), StringComparison.Ordinal);
        }
    }
}
