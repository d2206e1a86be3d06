namespace AotVector.Server.Hosting;

/// <summary>
/// <c>service.metrics_prefix</c>: put before every metric name on /metrics, as the reference does (it adds the text
/// as given, so <c>qdrant_</c> gives <c>qdrant_collections_total</c>). Letters, digits and '_' only, so the names
/// stay valid Prometheus names.
/// </summary>
internal static class MetricNamePrefix
{
    /// <summary>Null when <paramref name="prefix"/> is acceptable; otherwise the reference's complaint.</summary>
    public static string? Problem(string? prefix) =>
        prefix is null || prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? null
            : "Metrics prefix must be of all alphanumeric characters, with an exception for '_'";

    /// <summary>
    /// The exposition text with <paramref name="prefix"/> before the name on every sample line and in every
    /// <c># HELP</c> and <c># TYPE</c> line.
    /// </summary>
    public static string Apply(string text, string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return text;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                lines[i] = string.Concat(line.AsSpan(0, 7), prefix, line.AsSpan(7));
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                lines[i] = prefix + line;
            }
        }

        return string.Join('\n', lines);
    }
}
