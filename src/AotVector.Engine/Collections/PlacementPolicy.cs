using AotVector.Engine.Api;
using AotVector.Segment;

namespace AotVector.Engine.Collections;

/// <summary>
/// The reference's memory placement of one named vector from the collection config: vectors <c>memory</c> (else
/// <c>on_disk</c> true) cold, <c>cached</c> (else on_disk false) cached, neither set follow <c>memmap_threshold</c>; the graph takes
/// <c>hnsw_config.memory</c>, else cold with <c>hnsw_config.on_disk</c>, else cached; quantized codes take their <c>memory</c>, else pinned for the deprecated <c>always_ram: true</c>, else the
/// vectors' placement.
/// </summary>
internal static class PlacementPolicy
{
    public static VectorPlacement For(VectorParams? vector, HnswConfig hnsw, QuantizationConfig? quantization, OptimizersConfig optimizers) => new(
        PlacementRules.VectorsOnDisk(vector?.Memory, vector?.OnDisk) switch
        {
            true => MemoryPlacement.Cold,
            false => MemoryPlacement.Cached,
            null => null,
        },
        Graph(hnsw),
        Codes(quantization),
        optimizers.MemmapThreshold ?? 0);

    /// <summary>The graph's placement: <c>memory</c>, else cold for the deprecated <c>on_disk</c> true, else cached.</summary>
    public static MemoryPlacement Graph(HnswConfig hnsw) => hnsw.Memory switch
    {
        "cold" => MemoryPlacement.Cold,
        "cached" => MemoryPlacement.Cached,
        "pinned" => MemoryPlacement.Pinned,
        _ => hnsw.OnDisk ? MemoryPlacement.Cold : MemoryPlacement.Cached,
    };

    /// <summary>The codes' placement a quantization config asks for; null follows the vectors.</summary>
    public static MemoryPlacement? Codes(QuantizationConfig? quantization) => quantization?.Memory switch
    {
        "cold" => MemoryPlacement.Cold,
        "cached" => MemoryPlacement.Cached,
        "pinned" => MemoryPlacement.Pinned,
        _ => quantization?.AlwaysRam == true ? MemoryPlacement.Pinned : null,
    };
}
