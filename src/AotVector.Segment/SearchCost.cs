namespace AotVector.Segment;

/// <summary>
/// The planner's cost model, in units of one distance computed during a graph walk, so an exact scan of few matches
/// and a filtered graph walk can be compared for the same query. Calibrated on the 300k x 128-d filtered bench
/// (perf/results/filtered.md): an unfiltered walk at ef 64, m 16 costs about ef·m0/2 distances; a filtered walk
/// scores about as many matching nodes, so it visits that many divided by the selectivity; an exact scan reads each
/// match's vector from a scattered place (about twice a walk's distance, whose neighbours are prefetched together);
/// a columnar pass over every point costs a few nanoseconds a point.
/// </summary>
internal static class SearchCost
{
    private const double ExactPerMatch = 2.0;
    private const double PassPerPoint = 0.035;

    // Below this the sample saw (almost) no match: the walk would cross most of the graph.
    private const double MinSelectivity = 1e-4;

    /// <summary>Scoring <paramref name="matches"/> points exactly, after a columnar pass over <paramref name="passed"/> points (0 when an index gave them).</summary>
    public static double Exact(double matches, long passed) => (matches * ExactPerMatch) + (passed * PassPerPoint);

    /// <summary>A walk checking the filter per node, for a filter matching <paramref name="selectivity"/> of the points.</summary>
    public static double GraphFiltered(int ef, int m0, double selectivity) => Unfiltered(ef, m0) / Math.Max(selectivity, MinSelectivity);

    private static double Unfiltered(int ef, int m0) => ef * m0 / 2.0;
}
