namespace AotVector.Segment.Index.Payloads;

/// <summary>FNV-1a over bytes: a hash that is the same in every process and build, for layout keys (not security).</summary>
internal static class LayoutHash
{
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return hash;
    }
}
