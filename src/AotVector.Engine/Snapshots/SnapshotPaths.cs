namespace AotVector.Engine.Snapshots;

/// <summary>Names and paths a snapshot may use: archive entries, snapshot file names, confinement to a directory.</summary>
internal static class SnapshotPaths
{
    /// <summary>
    /// A relative path inside an archive in its one accepted form (components joined by '/', none empty, "." or
    /// ".."; no leading '/', backslash, NUL or control character); null for anything else.
    /// </summary>
    public static string? Normalize(string path)
    {
        if (path.Length is 0 or > 4096 || path[0] == '/' || path.Any(c => c == '\\' || char.IsControl(c)))
        {
            return null;
        }

        var parts = path.TrimEnd('/').Split('/');
        return parts.Any(p => p is "" or "." or "..") ? null : string.Join('/', parts);
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a plain file name, as the reference requires of snapshot names (the name is
    /// its own file name): no separator, not "." or "..", not empty, no NUL or backslash.
    /// </summary>
    public static bool IsPlainFileName(string name) =>
        name.Length is > 0 and <= 255 && name is not ("." or "..") && !name.Any(c => c is '/' or '\\' or '\0' || char.IsControl(c));

    /// <summary>Whether the absolute <paramref name="path"/> is <paramref name="directory"/> itself or lies under it.</summary>
    public static bool IsInside(string path, string directory)
    {
        var dir = directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return path.StartsWith(dir, StringComparison.Ordinal);
    }
}
