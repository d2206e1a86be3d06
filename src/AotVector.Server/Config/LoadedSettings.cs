namespace AotVector.Server.Config;

/// <summary>The outcome of a successful <see cref="SettingsLoader.Load"/>: settings plus what the host should log.</summary>
internal sealed class LoadedSettings
{
    public LoadedSettings(
        ServerSettings settings,
        IReadOnlyList<string> warnings,
        IReadOnlyList<string> sources,
        IReadOnlyDictionary<string, string> origins,
        string contentRoot)
    {
        Settings = settings;
        Warnings = warnings;
        Sources = sources;
        Origins = origins;
        ContentRoot = contentRoot;
    }

    public ServerSettings Settings { get; }

    /// <summary>One line each (unknown keys, empty API keys, risky setups); log them at warning level.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>What was merged, in order: "built-in defaults", file paths, "environment variables".</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Where each dotted key's final value came from, e.g. "service.http_port" → "environment variable QDRANT__SERVICE__HTTP_PORT".</summary>
    public IReadOnlyDictionary<string, string> Origins { get; }

    /// <summary>The directory relative paths in the settings are resolved against (the working directory).</summary>
    public string ContentRoot { get; }

    /// <summary>The same settings with <paramref name="more"/> warnings (the command line's) after the configuration's.</summary>
    public LoadedSettings WithWarnings(IReadOnlyList<string> more) =>
        more.Count == 0 ? this : new LoadedSettings(Settings, [.. Warnings, .. more], Sources, Origins, ContentRoot);

    /// <summary>Makes a configured path absolute the way Qdrant does: relative to the working directory.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, ContentRoot);
}
