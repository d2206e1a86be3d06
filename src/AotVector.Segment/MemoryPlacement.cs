namespace AotVector.Segment;

/// <summary>
/// Where a component's bytes live while the segment is open, as the reference's <c>memory</c>: always persisted on
/// disk; <see cref="Cold"/> leaves them memory-mapped and faulted in on demand (the page cache decides what stays),
/// <see cref="Cached"/> maps them and faults them all in when placed (still evictable page cache), <see cref="Pinned"/>
/// reads them onto the heap (never evicted).
/// </summary>
public enum MemoryPlacement : byte
{
    Cold,
    Cached,
    Pinned,
}

/// <summary>
/// The placement one named vector of a sealed segment should have: its stored vectors, its graph's layer 0, its
/// quantized codes. <see cref="Vectors"/> null follows the reference's <c>memmap_threshold</c>: cold once the
/// segment's vectors reach <see cref="MemmapThresholdKb"/> (0: never), cached below it. <see cref="Codes"/> null follows
/// the vectors' placement, as the reference's quantization without <c>memory</c> or <c>always_ram</c>.
/// </summary>
public readonly record struct VectorPlacement(MemoryPlacement? Vectors, MemoryPlacement Graph, MemoryPlacement? Codes, ulong MemmapThresholdKb = 0)
{
    /// <summary>The vectors' placement for a segment holding <paramref name="storedKb"/> KB of them.</summary>
    public MemoryPlacement VectorsFor(ulong storedKb) =>
        Vectors ?? (MemmapThresholdKb > 0 && storedKb >= MemmapThresholdKb ? MemoryPlacement.Cold : MemoryPlacement.Cached);

    /// <summary>The codes' placement next to vectors placed as <paramref name="vectors"/>.</summary>
    public MemoryPlacement CodesFor(MemoryPlacement vectors) => Codes ?? vectors;
}
