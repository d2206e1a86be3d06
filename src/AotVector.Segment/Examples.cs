using AotVector.Segment.Index.Hnsw;

namespace AotVector.Segment;

/// <summary>
/// Positive and negative example vectors (for <see cref="ExampleScoring.Discover"/> and <see cref="ExampleScoring.Context"/>,
/// pairs by index), the discovery target if any, and the rule that scores a candidate against them. Examples are
/// records of the column's datatype (see <see cref="IPointSimilarity"/>), compared with the stored record of a candidate.
/// </summary>
internal readonly struct Examples(ExampleScoring scoring, IReadOnlyList<byte[]> positives, IReadOnlyList<byte[]> negatives, byte[]? target, int dimension)
{
    public float Score<TSimilarity>(ReadOnlySpan<byte> candidate)
        where TSimilarity : struct, IPointSimilarity
    {
        switch (scoring)
        {
            case ExampleScoring.SumScores:
            {
                var sum = 0f;
                foreach (var p in positives)
                {
                    sum += TSimilarity.Similarity(candidate, p, dimension);
                }

                foreach (var n in negatives)
                {
                    sum -= TSimilarity.Similarity(candidate, n, dimension);
                }

                return sum;
            }

            case ExampleScoring.Discover:
            {
                var rank = 0;
                for (var i = 0; i < positives.Count; i++)
                {
                    rank += ExampleRule.Side(TSimilarity.Similarity(candidate, positives[i], dimension), TSimilarity.Similarity(candidate, negatives[i], dimension));
                }

                return rank + ExampleRule.ScaledSigmoid(target is null ? 0f : TSimilarity.Similarity(candidate, target, dimension));
            }

            case ExampleScoring.Context:
            {
                var sum = 0f;
                for (var i = 0; i < positives.Count; i++)
                {
                    sum += ExampleRule.ContextLoss(TSimilarity.Similarity(candidate, positives[i], dimension), TSimilarity.Similarity(candidate, negatives[i], dimension));
                }

                return sum;
            }

            default:
            {
                var bestPositive = float.NegativeInfinity;
                foreach (var p in positives)
                {
                    bestPositive = Math.Max(bestPositive, TSimilarity.Similarity(candidate, p, dimension));
                }

                var bestNegative = float.NegativeInfinity;
                foreach (var n in negatives)
                {
                    bestNegative = Math.Max(bestNegative, TSimilarity.Similarity(candidate, n, dimension));
                }

                return bestPositive > bestNegative ? bestPositive : -(bestNegative * bestNegative);
            }
        }
    }
}
