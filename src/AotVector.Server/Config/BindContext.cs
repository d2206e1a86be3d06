namespace AotVector.Server.Config;

/// <summary>What binding collects on the way: the first error, warnings, and where each key came from.</summary>
internal sealed class BindContext
{
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);

    /// <summary>The first error found; binding goes on (to keep the code linear) but only this one is reported.</summary>
    public string? Error { get; private set; }

    public IReadOnlyList<string> Warnings => _warnings;

    public IReadOnlyDictionary<string, string> Origins => _origins;

    public void Fail(string line) => Error ??= line;

    public void Warn(string line) => _warnings.Add(line);

    public void Record(string path, ConfigNode node) => _origins[path] = node.Origin;

    /// <summary>The origin of a key for messages, or "built-in defaults" for a key no source set.</summary>
    public string OriginOf(string path) => _origins.TryGetValue(path, out var origin) ? origin : "built-in defaults";
}
