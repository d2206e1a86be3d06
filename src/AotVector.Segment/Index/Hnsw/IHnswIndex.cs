using AotVector.Common.Model;

namespace AotVector.Segment.Index.Hnsw;

/// <summary>
/// An HNSW graph over one named vector of one segment, without its metric in the type, so a segment can hold one
/// per named vector in a dictionary. Created by <see cref="HnswIndex.Build"/> or <see cref="HnswIndex.Open"/>.
/// </summary>
/// <remarks>
/// Immutable once built; any number of threads may search concurrently. Disposing releases the mapped file
/// (after <see cref="HnswIndex.Open"/>); no search may run then.
/// </remarks>
internal interface IHnswIndex : IDisposable
{
    Distance Distance { get; }

    int Dimension { get; }

    /// <summary>Offsets <c>[0, Count)</c> were considered when building (excluded ones are never returned).</summary>
    uint Count { get; }

    HnswParameters Parameters { get; }

    /// <summary>
    /// The up-to-<paramref name="k"/> closest offsets to <paramref name="query"/> that match <paramref name="filter"/>
    /// and are not set in <paramref name="deleted"/> (offsets past its end count as live), best first, written to
    /// <paramref name="results"/> (length at least <paramref name="k"/>). Returns how many were written.
    /// </summary>
    /// <param name="query">Already preprocessed like the stored vectors (normalized for Cosine).</param>
    /// <param name="ef">Search breadth (Qdrant's <c>hnsw_ef</c>); raised to <paramref name="k"/> when smaller.</param>
    /// <param name="ct">Read every few hundred expanded nodes; once cancelled, the walk stops and returns what it has.</param>
    /// <param name="acorn">Layer 0 by ACORN-1: two-hop expansion where only matching nodes are scored (for selective filters).</param>
    /// <param name="linked">Layer 0 scoring and following only matching nodes, through <see cref="PayloadLinks"/> too (when the filter's points have them).</param>
    int Search<TFilter>(ReadOnlySpan<float> query, int k, int ef, TFilter filter, ReadOnlySpan<bool> deleted, Span<ScoredOffset> results, CancellationToken ct = default, bool acorn = false, bool linked = false)
        where TFilter : struct, IOffsetFilter;

    /// <summary>
    /// <see cref="Search{TFilter}(ReadOnlySpan{float}, int, int, TFilter, ReadOnlySpan{bool}, Span{ScoredOffset}, CancellationToken)"/>
    /// with every node scored by <paramref name="scorer"/>, a query prepared against quantized codes of the same
    /// offsets, which cover <paramref name="covered"/> of them (at least the graph's; single vectors only, not
    /// multivectors); scores are the codes' approximate similarities.
    /// </summary>
    int Search<TScorer, TFilter>(ref TScorer scorer, uint covered, int k, int ef, TFilter filter, ReadOnlySpan<bool> deleted, Span<ScoredOffset> results, CancellationToken ct = default, bool acorn = false, bool linked = false)
        where TScorer : IQueryScorer, allows ref struct
        where TFilter : struct, IOffsetFilter;

    /// <summary>Extra layer-0 links among the points of payload blocks, or null (see <see cref="Hnsw.PayloadLinks"/>).</summary>
    PayloadLinks? PayloadLinks { get; }

    /// <summary>Sets the extra links before <see cref="Save"/> (built after the graph by <see cref="PayloadLinksBuilder"/>).</summary>
    void AttachPayloadLinks(PayloadLinks? links);

    /// <summary>The graph's own layer-0 links of <paramref name="node"/>.</summary>
    ReadOnlySpan<uint> Level0Neighbors(uint node);

    /// <summary>Whether layer 0 is read in place from the mapped file (an opened graph) rather than held on the heap (a built one).</summary>
    bool IsMapped { get; }

    /// <summary>
    /// For a mapped layer 0: <paramref name="resident"/> faults it all in (the cached placement), otherwise this process's
    /// resident pages of it are dropped and the page cache decides (the cold placement). Nothing for a heap layer 0.
    /// </summary>
    void Advise(bool resident);

    /// <summary>Writes the graph to <paramref name="path"/> atomically (see <see cref="HnswIndex"/> for the format).</summary>
    void Save(string path);
}
