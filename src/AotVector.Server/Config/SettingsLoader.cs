using AotVector.Common.Errors;

namespace AotVector.Server.Config;

/// <summary>
/// Builds <see cref="ServerSettings"/> the way Qdrant does, so its config files and environment variables
/// work unchanged. Sources, each overriding only the keys it sets:
/// <list type="number">
/// <item>the built-in defaults (our config/config.yaml, embedded in the binary);</item>
/// <item>config/config.yaml, config/$RUN_MODE.yaml (RUN_MODE defaults to development) and config/local.yaml under the working directory, when present;</item>
/// <item>the file named by <c>--config-path</c> (an error when missing);</item>
/// <item><c>QDRANT__SECTION__KEY</c> environment variables, then <c>AOTVECTOR__SECTION__KEY</c> ones, which win.</item>
/// </list>
/// Every configuration mistake comes back as a single error line naming the key and its source; nothing throws.
/// </summary>
internal static class SettingsLoader
{
    public const string ConfigPathArgument = "--config-path";
    public const string DisableTelemetryArgument = "--disable-telemetry";
    public const string DefaultsResourceName = "config.yaml";

    private const string DefaultsSourceName = "built-in defaults";

    // QDRANT first so that AOTVECTOR, merged later, wins when both name the same key.
    private static readonly string[] s_environmentPrefixes = ["QDRANT__", "AOTVECTOR__"];

    private static readonly string[] s_yamlExtensions = [".yaml", ".yml"];

    /// <param name="args">Command-line arguments; only <c>--config-path FILE</c> and <c>--disable-telemetry</c> are read here.</param>
    /// <param name="environment">Environment variables (name → value).</param>
    /// <param name="contentRoot">The working directory: where config/ is looked for and relative paths start.</param>
    public static Result<LoadedSettings> Load(string[] args, IReadOnlyDictionary<string, string> environment, string contentRoot)
    {
        contentRoot = Path.GetFullPath(contentRoot);
        var sources = new List<string>();

        if (!TryParseArguments(args, out var configPath, out var disableTelemetry, out var argumentError))
        {
            return Fail(argumentError);
        }

        var defaultsText = ReadDefaults();
        if (defaultsText is null)
        {
            return Fail($"{DefaultsSourceName}: the embedded {DefaultsResourceName} resource is missing from this build");
        }

        var root = YamlConfigReader.Read(defaultsText, DefaultsSourceName);
        if (!root.IsOk)
        {
            return root.Error;
        }

        if (ConfigAliases.Normalize(root.Value) is { } defaultsError)
        {
            return Fail(defaultsError);
        }

        sources.Add(DefaultsSourceName);

        var runMode = environment.TryGetValue("RUN_MODE", out var mode) && mode.Length > 0 ? mode : "development";
        foreach (var optional in (string[])["config", runMode, "local"])
        {
            var path = FindYaml(Path.Combine(contentRoot, "config", optional));
            if (path is not null && MergeFile(root.Value, path, sources) is { } fileError)
            {
                return Fail(fileError);
            }
        }

        if (configPath is not null)
        {
            var full = Path.GetFullPath(configPath, contentRoot);
            var path = File.Exists(full) ? full : FindYaml(full);
            if (path is null)
            {
                return Fail($"{ConfigPathArgument}: config file '{configPath}' does not exist (looked at {full})");
            }

            if (MergeFile(root.Value, path, sources) is { } customError)
            {
                return Fail(customError);
            }
        }

        var warnings = new List<string>();
        foreach (var prefix in s_environmentPrefixes)
        {
            var tree = EnvironmentTree(environment, prefix, warnings);
            if (tree is null)
            {
                continue;
            }

            if (ConfigAliases.Normalize(tree) is { } aliasError)
            {
                return Fail(aliasError);
            }

            root.Value.MergeFrom(tree);
            sources.Add($"environment variables {prefix}*");
        }

        var context = new BindContext();
        foreach (var warning in warnings)
        {
            context.Warn(warning);
        }

        var settings = SettingsBinder.Bind(root.Value, context);
        if (disableTelemetry)
        {
            settings = settings with { TelemetryDisabled = true };
        }

        if (context.Error is null)
        {
            SettingsValidator.Validate(settings, contentRoot, context);
        }

        return context.Error is { } error
            ? Fail(error)
            : new LoadedSettings(settings, context.Warnings, sources, context.Origins, contentRoot);
    }

    /// <summary>Loads from the process's own arguments, environment and working directory.</summary>
    public static Result<LoadedSettings> LoadForProcess(string[] args)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                environment[name] = value;
            }
        }

        return Load(args, environment, Environment.CurrentDirectory);
    }

    private static bool TryParseArguments(string[] args, out string? configPath, out bool disableTelemetry, out string error)
    {
        configPath = null;
        disableTelemetry = false;
        error = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == ConfigPathArgument)
            {
                if (i + 1 >= args.Length || args[i + 1].Length == 0 || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    error = $"{ConfigPathArgument}: expected a file path after it";
                    return false;
                }

                configPath = args[++i];
            }
            else if (arg.StartsWith(ConfigPathArgument + "=", StringComparison.Ordinal))
            {
                configPath = arg[(ConfigPathArgument.Length + 1)..];
                if (configPath.Length == 0)
                {
                    error = $"{ConfigPathArgument}: expected a file path after it";
                    return false;
                }
            }
            else if (arg == DisableTelemetryArgument)
            {
                disableTelemetry = true;
            }

            // Other arguments were checked by CommandLine before the settings are loaded.
        }

        return true;
    }

    private static string? ReadDefaults()
    {
        using var stream = typeof(SettingsLoader).Assembly.GetManifestResourceStream(DefaultsResourceName);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Like Qdrant's config crate, a file is named without its extension: config/config means config/config.yaml.</summary>
    private static string? FindYaml(string pathWithoutExtension)
    {
        foreach (var extension in s_yamlExtensions)
        {
            var candidate = pathWithoutExtension + extension;
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? MergeFile(ConfigNode root, string path, List<string> sources)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{path}: cannot read the config file: {e.Message}";
        }

        var tree = YamlConfigReader.Read(text, path);
        if (!tree.IsOk)
        {
            return tree.Error.Message;
        }

        if (ConfigAliases.Normalize(tree.Value) is { } aliasError)
        {
            return aliasError;
        }

        root.MergeFrom(tree.Value);
        sources.Add(path);
        return null;
    }

    /// <summary>
    /// QDRANT__STORAGE__WAL__WAL_CAPACITY_MB=64 becomes storage → wal → wal_capacity_mb: "64". Names are
    /// case-insensitive; the value is typed later by the binder, exactly like a plain YAML scalar.
    /// </summary>
    private static ConfigNode? EnvironmentTree(IReadOnlyDictionary<string, string> environment, string prefix, List<string> warnings)
    {
        var names = new List<string>();
        foreach (var name in environment.Keys)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        if (names.Count == 0)
        {
            return null;
        }

        // Sorted so that the outcome never depends on the dictionary's order.
        names.Sort(StringComparer.Ordinal);
        var root = ConfigNode.Mapping("environment variables");
        foreach (var name in names)
        {
            var parts = name[prefix.Length..].Split("__");
            if (Array.Exists(parts, part => part.Length == 0))
            {
                warnings.Add($"environment variable {name} is ignored: its name has an empty section between '__' separators");
                continue;
            }

            var origin = $"environment variable {name}";
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!node.TryGetChild(parts[i], out var child) || child.Kind != ConfigNodeKind.Mapping)
                {
                    child = ConfigNode.Mapping(origin);
                    node.SetChild(parts[i], child);
                }

                node = child;
            }

            var value = environment[name];
            node.SetChild(parts[^1], value is "null" or "~" ? ConfigNode.Null(origin) : ConfigNode.Scalar(value, origin));
        }

        return root;
    }

    private static Result<LoadedSettings> Fail(string line) => new AvError(ErrorKind.BadRequest, line);
}
