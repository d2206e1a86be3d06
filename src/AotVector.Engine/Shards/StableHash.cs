using AotVector.Common.Model;

namespace AotVector.Engine.Shards;

/// <summary>
/// A 64-bit hash that is the same on every machine, every process and every run (unlike <c>GetHashCode</c>, which is
/// seeded per process): FNV-1a over the bytes, then a 64-bit finalizer that spreads the bits, so keys differing in one
/// byte land far apart on a hash ring. Not for security: anyone can choose ids that collide.
/// </summary>
public static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var h = FnvOffset;
        foreach (var b in bytes)
        {
            h = (h ^ b) * FnvPrime;
        }

        return Mix(h);
    }

    /// <summary>A point id's hash, over its stored form (a number's little-endian bytes or a UUID's RFC 4122 bytes, tagged).</summary>
    public static ulong Of(PointId id)
    {
        Span<byte> encoded = stackalloc byte[PointId.EncodedSize];
        id.WriteTo(encoded);
        return Of(encoded);
    }

    // The murmur3 64-bit finalizer: every input bit affects every output bit.
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
