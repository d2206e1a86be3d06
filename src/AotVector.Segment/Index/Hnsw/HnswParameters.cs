namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// Graph construction parameters, named as in Qdrant's <c>hnsw_config</c>: <see cref="M"/> links per node on the
/// upper layers (layer 0 allows <see cref="M0"/> = 2·M), <see cref="EfConstruct"/> candidates kept while inserting.
/// <see cref="Seed"/> fixes the layer assignment, so a single-threaded build is fully reproducible.
/// </summary>
internal readonly record struct HnswParameters(int M = 16, int EfConstruct = 100, int Seed = 0x5EED)
{
    public static HnswParameters Default => new(16, 100);

    /// <summary>Link capacity on layer 0 (twice <see cref="M"/>, as in the paper and in Qdrant/hnswlib).</summary>
    public int M0 => 2 * M;

    public bool IsValid => M is >= 2 and <= 512 && EfConstruct is >= 1 and <= 100_000;
}
