using System.Text;

namespace AotVector.Server.Config;

/// <summary>What the command line asks for: run the server, print the usage, or print the version.</summary>
internal enum CommandLineAction : byte
{
    Run,
    Help,
    Version,
}

/// <summary>
/// The reference's command-line flags (its <c>src/main.rs</c> <c>Args</c>), read the way its argument parser reads
/// them: <c>--flag value</c> or <c>--flag=value</c>, an unknown flag or a stray word is a one-line error (exit 2).
/// <c>--uri</c> and <c>--bootstrap</c> (or QDRANT_URI, QDRANT_BOOTSTRAP) steer how a peer joins a cluster; standalone,
/// the reference ignores them, and so do we, with a warning. Flags this server cannot honour yet are decided one by
/// one: <c>--reinit</c> starts the server with a warning; <c>--stacktrace</c> asks for work that would silently not
/// happen, so it is refused. The
/// snapshot flags are kept here for the startup restore. <c>--config-path</c> and <c>--disable-telemetry</c> are read
/// by <see cref="SettingsLoader"/>.
/// </summary>
internal sealed class CommandLine
{
    private const string ReinitNotSupported = "resetting the consensus state is not supported yet";

    private static readonly Flag[] s_flags =
    [
        new("--bootstrap", null, "URI", FlagSupport.Supported,
            "Uri of any peer of the cluster to join (its p2p port); without it, this peer starts a new cluster. Env QDRANT_BOOTSTRAP"),
        new("--uri", null, "URI", FlagSupport.Supported,
            "Uri of this peer, for other peers to reach it (its p2p port); required on the first peer. Env QDRANT_URI"),
        new("--force-snapshot", "-f", null, FlagSupport.Supported,
            "Replace existing collections with the given snapshots (without it, an existing collection stops the startup)"),
        new("--snapshot", null, "PATH:NAME", FlagSupport.Supported,
            "Recover collection NAME from the snapshot file PATH before serving (repeatable; alias --collection-snapshot)"),
        new("--storage-snapshot", null, "PATH", FlagSupport.Supported,
            "Recover every collection and alias from the full snapshot file PATH before serving (wins over --snapshot)"),
        new("--config-path", null, "PATH", FlagSupport.Supported,
            "Path to an alternative configuration file (default: config/config.yaml)"),
        new("--disable-telemetry", null, null, FlagSupport.Supported,
            "Disable telemetry reporting (this server never reports telemetry anywhere)"),
        new("--stacktrace", null, null, FlagSupport.Refuse,
            "Run the stack trace collector (debugging). Not supported yet"),
        new("--reinit", null, null, FlagSupport.Warn,
            "Reinitialize the consensus state. Not supported yet: ignored with a warning"),
        new("--help", "-h", null, FlagSupport.Supported, "Print help"),
        new("--version", "-V", null, FlagSupport.Supported, "Print version"),
    ];

    private CommandLine(CommandLineAction action, IReadOnlyList<string> warnings, StartupSnapshots? snapshots = null, string? uri = null, string? bootstrap = null)
    {
        Action = action;
        Warnings = warnings;
        Snapshots = snapshots ?? StartupSnapshots.None;
        Uri = uri;
        Bootstrap = bootstrap;
    }

    /// <summary><c>--uri</c> (or QDRANT_URI): this peer's p2p address as other peers reach it.</summary>
    public string? Uri { get; }

    /// <summary><c>--bootstrap</c> (or QDRANT_BOOTSTRAP): a peer of the cluster to join.</summary>
    public string? Bootstrap { get; }

    public CommandLineAction Action { get; }

    /// <summary>The snapshots to restore before serving (<c>--snapshot</c>, <c>--storage-snapshot</c>, <c>--force-snapshot</c>).</summary>
    public StartupSnapshots Snapshots { get; }

    /// <summary>Flags accepted without effect, one line each, for the startup log.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Reads <paramref name="args"/>; <paramref name="environment"/> supplies QDRANT_BOOTSTRAP and QDRANT_URI, which
    /// the reference reads as defaults for its two cluster flags. On failure, <paramref name="error"/> is the line to print.
    /// </summary>
    public static bool TryParse(string[] args, Func<string, string?> environment, out CommandLine? commandLine, out string error)
    {
        commandLine = null;
        error = string.Empty;
        // As the reference's parser does, help and version win over everything else on the line.
        if (Array.Exists(args, a => a is "--help" or "-h"))
        {
            commandLine = new CommandLine(CommandLineAction.Help, []);
            return true;
        }

        if (Array.Exists(args, a => a is "--version" or "-V"))
        {
            commandLine = new CommandLine(CommandLineAction.Version, []);
            return true;
        }

        var warnings = new List<string>();
        var collectionSnapshots = new List<(string Path, string Collection)>();
        string? storageSnapshot = null;
        string? uri = null;
        string? bootstrap = null;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            var name = equals > 0 ? arg[..equals] : arg;
            if (name == "--collection-snapshot")
            {
                name = "--snapshot";
            }

            var flag = Array.Find(s_flags, f => f.Name == name || f.Short == name);
            if (flag is null)
            {
                error = arg.StartsWith('-')
                    ? $"unknown argument '{name}' (see --help)"
                    : $"unexpected argument '{arg}' (see --help)";
                return false;
            }

            string? value = null;
            if (flag.Value is not null)
            {
                if (equals < 0 && (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)))
                {
                    error = $"{flag.Name}: expected a value <{flag.Value}> after it";
                    return false;
                }

                value = equals < 0 ? args[++i] : arg[(equals + 1)..];
            }
            else if (equals > 0)
            {
                error = $"{flag.Name}: takes no value";
                return false;
            }

            if (flag.Support == FlagSupport.Refuse)
            {
                error = $"{flag.Name} is not supported yet";
                return false;
            }

            if (flag.Support == FlagSupport.Warn)
            {
                warnings.Add($"{flag.Name} has no effect: {ReinitNotSupported}");
            }

            switch (flag.Name)
            {
                case "--snapshot":
                    if (!StartupSnapshots.TryParseMapping(value!, out var mapping, out error))
                    {
                        return false;
                    }

                    collectionSnapshots.Add(mapping);
                    break;
                case "--storage-snapshot":
                    if (value!.Length == 0)
                    {
                        error = "--storage-snapshot: the snapshot path is empty";
                        return false;
                    }

                    storageSnapshot = value;
                    break;
                case "--force-snapshot":
                    force = true;
                    break;
                case "--uri":
                    uri = value;
                    break;
                case "--bootstrap":
                    bootstrap = value;
                    break;
            }
        }

        uri ??= NonEmpty(environment("QDRANT_URI"));
        bootstrap ??= NonEmpty(environment("QDRANT_BOOTSTRAP"));
        foreach (var (flagName, given) in (ReadOnlySpan<(string, string?)>)[("--uri", uri), ("--bootstrap", bootstrap)])
        {
            if (given is not null && !PeerUri.TryParse(given, out _, out var uriError))
            {
                error = $"{flagName}: {uriError}";
                return false;
            }
        }

        commandLine = new CommandLine(CommandLineAction.Run, warnings, new StartupSnapshots(collectionSnapshots, storageSnapshot, force), uri, bootstrap);
        return true;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The usage text, in the shape of the reference's <c>--help</c>.</summary>
    public static string Usage(string version)
    {
        var sb = new StringBuilder();
        sb.Append("AotVector ").Append(version).Append(": a vector search engine that serves the Qdrant ")
            .Append("1.19 REST and gRPC APIs.\nThis command starts a server: standalone, or a cluster peer with cluster.enabled.\n\n");
        sb.Append("Usage: aotvector [OPTIONS]\n\nOptions:\n");
        foreach (var flag in s_flags)
        {
            var left = (flag.Short is null ? "    " : flag.Short + ", ") + flag.Name + (flag.Value is null ? "" : " <" + flag.Value + ">");
            sb.Append("  ").Append(left.PadRight(32)).Append(' ').Append(flag.Help).Append('\n');
        }

        sb.Append("\nConfiguration: config/config.yaml, config/$RUN_MODE.yaml, config/local.yaml, --config-path, then ")
            .Append("QDRANT__SECTION__KEY and AOTVECTOR__SECTION__KEY environment variables.\n");
        return sb.ToString();
    }

    private enum FlagSupport : byte
    {
        Supported,
        /// <summary>Accepted with a warning: the reference ignores it in standalone mode too.</summary>
        Warn,
        /// <summary>Refused at startup: honouring it is not possible yet, and ignoring it would lose what was asked for.</summary>
        Refuse,
    }

    private sealed record Flag(string Name, string? Short, string? Value, FlagSupport Support, string Help);
}
