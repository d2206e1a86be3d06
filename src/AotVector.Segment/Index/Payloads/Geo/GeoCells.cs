namespace AotVector.Segment.Index.Payloads.Geo;

/// <summary>
/// A Z-order (Morton) key for a point on the lon/lat plane: 32 bits of longitude interleaved with 32 bits of
/// latitude, like a geohash at full precision. Every aligned quadtree cell is one contiguous key range, so a region
/// covered by a few cells is a few binary searches in a sorted key array.
/// </summary>
internal static class GeoCells
{
    /// <summary>Cells at most in one cover: bounds the binary searches per condition, and with it how loose the cover is.</summary>
    public const int MaxCoverCells = 32;

    public static ulong Key(double lon, double lat) => Interleave(LonCell(lon), LatCell(lat));

    /// <summary>Adds to <paramref name="ranges"/> key ranges (inclusive) whose union holds every key inside the rectangle.</summary>
    public static void Cover(GeoRect rect, List<(ulong Low, ulong High)> ranges)
    {
        if (rect.IsEmpty)
        {
            return;
        }

        uint x0 = LonCell(rect.LonLow), x1 = LonCell(rect.LonHigh), y0 = LatCell(rect.LatLow), y1 = LatCell(rect.LatHigh);

        // The finest level whose cells over the rectangle number at most MaxCoverCells (at shift 31 there are at most 4).
        var shift = 0;
        while (((ulong)(x1 >> shift) - (x0 >> shift) + 1) * ((ulong)(y1 >> shift) - (y0 >> shift) + 1) > MaxCoverCells)
        {
            shift++;
        }

        var free = (1UL << (2 * shift)) - 1;
        for (var cy = (ulong)(y0 >> shift); cy <= y1 >> shift; cy++)
        {
            for (var cx = (ulong)(x0 >> shift); cx <= x1 >> shift; cx++)
            {
                var low = Interleave((uint)(cx << shift), (uint)(cy << shift));
                ranges.Add((low, low | free));
            }
        }
    }

    /// <summary>Sorts <paramref name="ranges"/> and merges those that overlap or touch.</summary>
    public static void Merge(List<(ulong Low, ulong High)> ranges)
    {
        ranges.Sort(static (a, b) => a.Low.CompareTo(b.Low));
        var kept = 0;
        for (var i = 0; i < ranges.Count; i++)
        {
            if (kept > 0 && (ranges[kept - 1].High == ulong.MaxValue || ranges[i].Low <= ranges[kept - 1].High + 1))
            {
                ranges[kept - 1] = (ranges[kept - 1].Low, Math.Max(ranges[kept - 1].High, ranges[i].High));
            }
            else
            {
                ranges[kept++] = ranges[i];
            }
        }

        ranges.RemoveRange(kept, ranges.Count - kept);
    }

    // Clamping is monotone, so a point inside a rectangle stays inside it once both are clamped to the grid.
    private static uint LonCell(double lon) => Quantize((lon + 180.0) / 360.0);

    private static uint LatCell(double lat) => Quantize((lat + 90.0) / 180.0);

    private static uint Quantize(double unit)
    {
        var scaled = Math.Floor(unit * 4294967296.0);
        return scaled <= 0 ? 0 : scaled >= uint.MaxValue ? uint.MaxValue : (uint)scaled;
    }

    // Longitude on the even bits, latitude on the odd ones.
    private static ulong Interleave(uint x, uint y) => Spread(x) | (Spread(y) << 1);

    private static ulong Spread(uint v)
    {
        ulong x = v;
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFUL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFUL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FUL;
        x = (x | (x << 2)) & 0x3333333333333333UL;
        x = (x | (x << 1)) & 0x5555555555555555UL;
        return x;
    }
}
