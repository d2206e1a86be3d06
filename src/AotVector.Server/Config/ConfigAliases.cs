namespace AotVector.Server.Config;

/// <summary>
/// Qdrant accepts some keys under two names (serde aliases). Each source is rewritten to the name our
/// config.yaml uses before merging, so a later file that uses the other name still overrides the default.
/// </summary>
internal static class ConfigAliases
{
    private static readonly (string Section, string Alias, string Canonical)[] s_aliases =
    [
        ("storage.optimizers", "max_segment_size", "max_segment_size_kb"),
        ("storage.optimizers", "memmap_threshold", "memmap_threshold_kb"),
        ("storage.optimizers", "indexing_threshold", "indexing_threshold_kb"),
        ("storage.hnsw_index", "full_scan_threshold", "full_scan_threshold_kb"),
        ("storage.performance", "max_optimization_runtime_threads", "max_optimization_threads"),
    ];

    /// <summary>Renames aliases in place; returns an error line when one source sets both names.</summary>
    public static string? Normalize(ConfigNode root)
    {
        foreach (var (section, alias, canonical) in s_aliases)
        {
            var node = Find(root, section);
            if (node is null || !node.RemoveChild(alias, out var value))
            {
                continue;
            }

            if (node.TryGetChild(canonical, out var existing))
            {
                return $"{section}: both '{alias}' and '{canonical}' are set, keep one (from {existing.Origin} and {value.Origin})";
            }

            node.SetChild(canonical, value);
        }

        return null;
    }

    private static ConfigNode? Find(ConfigNode root, string dottedPath)
    {
        var node = root;
        foreach (var part in dottedPath.Split('.'))
        {
            if (!node.TryGetChild(part, out var child) || child.Kind != ConfigNodeKind.Mapping)
            {
                return null;
            }

            node = child;
        }

        return node;
    }
}
