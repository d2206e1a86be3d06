using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine;

/// <summary>
/// The reference's two fusions of ranked lists into one, best first. Scores are summed per point in list order and
/// list position, as the reference sums them, so the floats come out bit for bit the same. The reference leaves the
/// order of equal fused scores to a hash map; here they go to the smaller id, as every other ranking in the engine.
/// A point keeps the version of its first appearance.
/// </summary>
internal static class Fusion
{
    public static List<ScoredPoint> Fuse(FusionQuery fusion, IReadOnlyList<IReadOnlyList<ScoredPoint>> sources) =>
        fusion.Method == FusionMethod.Rrf ? Rrf(sources, fusion.K, fusion.Weights) : Dbsf(sources);

    /// <summary>
    /// Reciprocal rank fusion: the hit at 0-based <c>position</c> of a list with weight <c>w</c> adds
    /// <c>1 / ((position + 1) / w + k - 1)</c>, which is <c>1 / (position + k)</c> for w = 1; a weight of 0 or less adds
    /// nothing. Input scores do not matter, only the order.
    /// </summary>
    public static List<ScoredPoint> Rrf(IReadOnlyList<IReadOnlyList<ScoredPoint>> sources, uint k, IReadOnlyList<float>? weights)
    {
        var fused = new Accumulator();
        for (var s = 0; s < sources.Count; s++)
        {
            var weight = weights is null ? 1f : weights[s];
            var list = sources[s];
            for (var position = 0; position < list.Count; position++)
            {
                fused.Add(list[position], PositionScore(position, k, weight));
            }
        }

        return fused.Ranked();
    }

    /// <summary>
    /// Distribution-based score fusion: each list's scores are mapped so that mean ± 3 standard deviations (sample
    /// variance, Welford's single pass in float) become 0 and 1, a one-hit list or a list of equal scores to 0.5; the
    /// mapped scores of a point are summed.
    /// </summary>
    public static List<ScoredPoint> Dbsf(IReadOnlyList<IReadOnlyList<ScoredPoint>> sources)
    {
        var fused = new Accumulator();
        foreach (var list in sources)
        {
            var (min, max) = Extremes(list);
            foreach (var point in list)
            {
                // As the reference: two points or more with min == max all map to 0.5, as does a single point.
                var score = list.Count < 2 || min == max ? 0.5f : (point.Score - min) / (max - min);
                fused.Add(point, score);
            }
        }

        return fused.Ranked();
    }

    private static float PositionScore(int position, uint k, float weight) =>
        weight <= 0f ? 0f : 1f / ((float)(position + 1) / weight + (float)k - 1f);

    private static (float Min, float Max) Extremes(IReadOnlyList<ScoredPoint> list)
    {
        if (list.Count < 2)
        {
            return (0f, 0f);
        }

        float mean = 0f, aggregate = 0f;
        for (var i = 0; i < list.Count; i++)
        {
            var score = list[i].Score;
            var oldDelta = score - mean;
            mean += oldDelta / (float)(i + 1);
            aggregate += oldDelta * (score - mean);
        }

        var stdDev = MathF.Sqrt(aggregate / ((float)list.Count - 1f));
        return (mean - 3f * stdDev, mean + 3f * stdDev);
    }

    /// <summary>Fused scores per point in first-seen order.</summary>
    private sealed class Accumulator
    {
        private readonly Dictionary<PointId, int> _index = [];
        private readonly List<ScoredPoint> _points = [];

        public void Add(ScoredPoint point, float score)
        {
            if (_index.TryGetValue(point.Id, out var at))
            {
                _points[at] = _points[at] with { Score = _points[at].Score + score };
            }
            else
            {
                _index[point.Id] = _points.Count;
                _points.Add(point with { Score = score });
            }
        }

        public List<ScoredPoint> Ranked()
        {
            // Descending by score with NaN first, as the reference's total order on floats puts NaN above every number.
            _points.Sort(static (a, b) =>
            {
                var byScore = Rank(b.Score).CompareTo(Rank(a.Score));
                return byScore != 0 ? byScore : a.Id.CompareTo(b.Id);
            });
            return _points;
        }

        private static float Rank(float score) => float.IsNaN(score) ? float.PositiveInfinity : score;
    }
}
