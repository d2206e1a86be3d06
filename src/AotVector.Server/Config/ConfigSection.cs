using System.Globalization;

namespace AotVector.Server.Config;

/// <summary>
/// Typed, range-checked reads from one mapping of the merged tree. Each read marks its key as known;
/// <see cref="Finish"/> then warns about every key nobody read, by its full dotted name.
/// </summary>
internal sealed class ConfigSection
{
    private readonly ConfigNode? _node;
    private readonly string _path;
    private readonly BindContext _context;
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);

    private ConfigSection(ConfigNode? node, string path, BindContext context)
    {
        _node = node;
        _path = path;
        _context = context;
    }

    public static ConfigSection Root(ConfigNode root, BindContext context) => new(root, string.Empty, context);

    /// <summary>A nested section. An absent or null section reads as empty, so its keys take their defaults.</summary>
    public ConfigSection Section(string key)
    {
        if (!TryTake(key, out var node, out var path) || node.Kind == ConfigNodeKind.Null)
        {
            return new ConfigSection(null, path, _context);
        }

        if (node.Kind != ConfigNodeKind.Mapping)
        {
            Mismatch(path, "a mapping of keys", node);
            return new ConfigSection(null, path, _context);
        }

        return new ConfigSection(node, path, _context);
    }

    /// <summary>Keys Qdrant knows that we accept without using (yet); whole subtrees are skipped.</summary>
    public void Accept(params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            _known.Add(key);
        }
    }

    public int Int(string key, int fallback, int min, int max = int.MaxValue)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        if (node.Kind == ConfigNodeKind.Scalar && TryParseInt(node.Text!, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Mismatch(path, IntRange(min, max), node);
        return fallback;
    }

    public int? NullableInt(string key, int? fallback, int min, int max = int.MaxValue)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        if (node.Kind == ConfigNodeKind.Null || node is { Kind: ConfigNodeKind.Scalar, Text.Length: 0 })
        {
            // An empty environment variable (QDRANT__SERVICE__GRPC_PORT=) also means null.
            return null;
        }

        if (node.Kind == ConfigNodeKind.Scalar && TryParseInt(node.Text!, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Mismatch(path, IntRange(min, max) + " or null", node);
        return fallback;
    }

    public ulong? NullableULong(string key, ulong? fallback, ulong min, ulong max)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        if (node.Kind == ConfigNodeKind.Null || node is { Kind: ConfigNodeKind.Scalar, Text.Length: 0 })
        {
            return null;
        }

        if (node.Kind == ConfigNodeKind.Scalar
            && ulong.TryParse(node.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Mismatch(path, $"an integer from {min} to {max} or null", node);
        return fallback;
    }

    public double Double(string key, double fallback, double min, double max)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        if (node.Kind == ConfigNodeKind.Scalar
            && double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        Mismatch(path, $"a number from {Format(min)} to {Format(max)}", node);
        return fallback;
    }

    public bool Bool(string key, bool fallback)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        if (node.Kind == ConfigNodeKind.Scalar && TryParseBool(node.Text!, out var value))
        {
            return value;
        }

        Mismatch(path, "true or false", node);
        return fallback;
    }

    /// <summary>Whether the section is in the file (a mapping; an absent or null one is not).</summary>
    public bool IsPresent => _node is not null;

    /// <summary>An optional bool: absent or null reads as null.</summary>
    public bool? NullableBool(string key)
    {
        if (!TryTake(key, out var node, out var path) || node.Kind == ConfigNodeKind.Null)
        {
            return null;
        }

        if (node.Kind == ConfigNodeKind.Scalar && TryParseBool(node.Text!, out var value))
        {
            return value;
        }

        Mismatch(path, "true, false or null", node);
        return null;
    }

    /// <summary>An optional number: absent or null reads as null.</summary>
    public double? NullableDouble(string key, double min, double max)
    {
        if (!TryTake(key, out var node, out var path) || node.Kind == ConfigNodeKind.Null)
        {
            return null;
        }

        if (node.Kind == ConfigNodeKind.Scalar
            && double.TryParse(node.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return value;
        }

        Mismatch(path, $"a number from {Format(min)} to {Format(max)} or null", node);
        return null;
    }

    /// <summary>A bool that Qdrant declares optional: null reads as <paramref name="fallback"/>.</summary>
    public bool OptionalBool(string key, bool fallback)
    {
        if (_node is not null && _node.TryGetChild(key, out var node) && node.Kind == ConfigNodeKind.Null)
        {
            TryTake(key, out _, out _);
            return fallback;
        }

        return Bool(key, fallback);
    }

    /// <summary>A required, non-empty string.</summary>
    public string String(string key, string fallback)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        if (node.Kind == ConfigNodeKind.Scalar && node.Text!.Length > 0)
        {
            return node.Text;
        }

        Mismatch(path, "a non-empty string", node);
        return fallback;
    }

    /// <summary>One of <paramref name="allowed"/>, matched in any case and returned as listed.</summary>
    public string Choice(string key, string fallback, params ReadOnlySpan<string> allowed)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        if (node.Kind == ConfigNodeKind.Scalar)
        {
            foreach (var choice in allowed)
            {
                if (string.Equals(node.Text, choice, StringComparison.OrdinalIgnoreCase))
                {
                    return choice;
                }
            }
        }

        Mismatch(path, "one of " + string.Join(", ", allowed.ToArray()), node);
        return fallback;
    }

    /// <summary>An optional string; null, absent and empty all read as null (Qdrant treats an empty key as unset).</summary>
    public string? NullableString(string key, string? fallback, bool warnWhenEmpty = false)
    {
        if (!TryTake(key, out var node, out var path))
        {
            return fallback;
        }

        switch (node.Kind)
        {
            case ConfigNodeKind.Null:
                return null;
            case ConfigNodeKind.Scalar when node.Text!.Length == 0:
                if (warnWhenEmpty)
                {
                    _context.Warn($"{path} is set but empty, so it is treated as unset (from {node.Origin})");
                }

                return null;
            case ConfigNodeKind.Scalar:
                return node.Text;
            default:
                Mismatch(path, "a string or null", node);
                return fallback;
        }
    }

    /// <summary>Warns about every key of this section that no read or <see cref="Accept"/> claimed.</summary>
    public void Finish()
    {
        if (_node is null)
        {
            return;
        }

        foreach (var (key, child) in _node.Children)
        {
            if (!_known.Contains(key))
            {
                _context.Warn($"unknown key '{Join(_path, key)}' is ignored (from {child.Origin})");
            }
        }
    }

    private bool TryTake(string key, out ConfigNode node, out string path)
    {
        _known.Add(key);
        path = Join(_path, key);
        if (_node is not null && _node.TryGetChild(key, out node))
        {
            _context.Record(path, node);
            return true;
        }

        node = null!;
        return false;
    }

    private void Mismatch(string path, string expected, ConfigNode node)
    {
        var got = node.Kind switch
        {
            ConfigNodeKind.Null => "null",
            ConfigNodeKind.Scalar => $"'{node.Text}'",
            ConfigNodeKind.Mapping => "a mapping",
            ConfigNodeKind.Sequence => "a list",
        };
        _context.Fail($"{path}: expected {expected}, got {got} (from {node.Origin})");
    }

    private static bool TryParseInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool TryParseBool(string text, out bool value)
    {
        // The spellings Qdrant's config crate accepts, in any case.
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                value = true;
                return true;
            case "false" or "no" or "off" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static string IntRange(int min, int max) =>
        max == int.MaxValue
            ? $"an integer >= {min.ToString(CultureInfo.InvariantCulture)}"
            : $"an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Join(string path, string key) => path.Length == 0 ? key.ToLowerInvariant() : path + "." + key.ToLowerInvariant();
}
