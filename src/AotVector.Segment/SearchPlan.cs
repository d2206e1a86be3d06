namespace AotVector.Segment;

/// <summary>How a segment answers one search (see <see cref="PointSegment.PlanFor"/>).</summary>
public enum SearchPlan
{
    /// <summary>No graph (or <c>exact</c>): every point is scored, the filter checked first.</summary>
    FullScan,

    /// <summary>No filter: the graph.</summary>
    Graph,

    /// <summary>Few candidates from a payload index, checked against the filter and scored exactly.</summary>
    IndexedScan,

    /// <summary>Few matches (estimated): one columnar pass finds them, and they are scored exactly.</summary>
    FilteredScan,

    /// <summary>The graph, with the filter checked on each node it reaches.</summary>
    GraphFiltered,

    /// <summary>
    /// The graph, scoring and following only matching nodes once it reached one, through the extra links the graph
    /// holds for a value the filter must match (payload links, <c>payload_m</c>).
    /// </summary>
    GraphLinked,

    /// <summary>The graph with ACORN-1's two-hop expansion: only matching nodes are scored (the request's <c>acorn</c>).</summary>
    GraphAcorn,
}
