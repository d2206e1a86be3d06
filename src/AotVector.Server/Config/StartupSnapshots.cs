namespace AotVector.Server.Config;

/// <summary>
/// The snapshots the command line asks to restore before the server starts serving: collection snapshots
/// (<c>--snapshot PATH:NAME</c>, repeatable) or one full snapshot (<c>--storage-snapshot PATH</c>, which wins, as in
/// the reference), and whether existing collections may be replaced (<c>--force-snapshot</c>).
/// </summary>
internal sealed record StartupSnapshots(IReadOnlyList<(string Path, string Collection)> Collections, string? Storage, bool Force)
{
    public static readonly StartupSnapshots None = new([], null, false);

    public bool IsEmpty => Storage is null && Collections.Count == 0;

    /// <summary>
    /// <c>PATH:NAME</c>, split at the last colon (a path may hold colons, a collection name may not), as the reference
    /// reads it: neither part empty, and no slash in the name.
    /// </summary>
    public static bool TryParseMapping(string text, out (string Path, string Collection) mapping, out string error)
    {
        mapping = default;
        error = string.Empty;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || colon == text.Length - 1)
        {
            error = $"--snapshot: the collection name is missing in '{text}' (expected PATH:NAME)";
            return false;
        }

        if (colon == 0)
        {
            error = $"--snapshot: the snapshot path is missing in '{text}' (expected PATH:NAME)";
            return false;
        }

        var name = text[(colon + 1)..];
        if (name.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            error = $"--snapshot: the collection name must not contain slashes: '{text}'";
            return false;
        }

        mapping = (text[..colon], name);
        return true;
    }
}
