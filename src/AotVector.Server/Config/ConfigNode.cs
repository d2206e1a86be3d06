namespace AotVector.Server.Config;

/// <summary>
/// One value of the merged configuration tree, independent of where it came from (YAML file or
/// environment variable), remembering its origin so that every error can name the file and line.
/// </summary>
internal sealed class ConfigNode
{
    private readonly OrderedDictionary<string, ConfigNode>? _children;

    private ConfigNode(ConfigNodeKind kind, string? text, string origin)
    {
        Kind = kind;
        Text = text;
        Origin = origin;
        if (kind == ConfigNodeKind.Mapping)
        {
            // Qdrant's config crate lower-cases keys, so Service/HTTP_PORT and service/http_port are one key.
            _children = new OrderedDictionary<string, ConfigNode>(StringComparer.OrdinalIgnoreCase);
        }
    }

    public ConfigNodeKind Kind { get; }

    /// <summary>The scalar's text, for <see cref="ConfigNodeKind.Scalar"/> only.</summary>
    public string? Text { get; }

    /// <summary>Where the value was written, e.g. "/etc/a.yaml, line 4" or "environment variable QDRANT__X".</summary>
    public string Origin { get; }

    public IEnumerable<KeyValuePair<string, ConfigNode>> Children => _children ?? [];

    public static ConfigNode Null(string origin) => new(ConfigNodeKind.Null, null, origin);

    public static ConfigNode Scalar(string text, string origin) => new(ConfigNodeKind.Scalar, text, origin);

    public static ConfigNode Mapping(string origin) => new(ConfigNodeKind.Mapping, null, origin);

    public static ConfigNode Sequence(string origin) => new(ConfigNodeKind.Sequence, null, origin);

    public bool TryGetChild(string key, out ConfigNode child)
    {
        if (_children is not null && _children.TryGetValue(key, out var found))
        {
            child = found;
            return true;
        }

        child = null!;
        return false;
    }

    /// <summary>Adds or replaces a child; returns false when the mapping already had that key.</summary>
    public bool SetChild(string key, ConfigNode child)
    {
        var children = _children ?? throw new InvalidOperationException("Only a mapping has children.");
        var existed = children.ContainsKey(key);
        children[key] = child;
        return !existed;
    }

    public bool RemoveChild(string key, out ConfigNode removed)
    {
        if (_children is not null && _children.Remove(key, out var found))
        {
            removed = found;
            return true;
        }

        removed = null!;
        return false;
    }

    /// <summary>
    /// Lays <paramref name="overlay"/> over this mapping: mappings merge key by key, anything else
    /// (scalar, null, sequence) replaces what was there. A later source thus overrides only the keys it sets.
    /// </summary>
    public void MergeFrom(ConfigNode overlay)
    {
        var children = _children ?? throw new InvalidOperationException("Only a mapping can be merged into.");
        foreach (var (key, value) in overlay.Children)
        {
            if (value.Kind == ConfigNodeKind.Mapping && children.TryGetValue(key, out var existing) && existing.Kind == ConfigNodeKind.Mapping)
            {
                existing.MergeFrom(value);
            }
            else
            {
                children[key] = value;
            }
        }
    }
}
