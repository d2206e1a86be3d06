using AotVector.Kernels.Distance;

namespace AotVector.Segment;

/// <summary>
/// Positive and negative example vectors (for <see cref="ExampleScoring.Discover"/> and <see cref="ExampleScoring.Context"/>,
/// pairs by index), the discovery target if any, and the rule that scores a candidate against them.
/// </summary>
internal readonly struct Examples(ExampleScoring scoring, IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives, float[]? target)
{
    public float Score<TMetric>(ReadOnlySpan<float> candidate)
        where TMetric : struct, IDistanceMetric
    {
        switch (scoring)
        {
            case ExampleScoring.SumScores:
            {
                var sum = 0f;
                foreach (var p in positives)
                {
                    sum += TMetric.Similarity(candidate, p);
                }

                foreach (var n in negatives)
                {
                    sum -= TMetric.Similarity(candidate, n);
                }

                return sum;
            }

            case ExampleScoring.Discover:
            {
                var rank = 0;
                for (var i = 0; i < positives.Count; i++)
                {
                    rank += ExampleRule.Side(TMetric.Similarity(candidate, positives[i]), TMetric.Similarity(candidate, negatives[i]));
                }

                return rank + ExampleRule.ScaledSigmoid(target is null ? 0f : TMetric.Similarity(candidate, target));
            }

            case ExampleScoring.Context:
            {
                var sum = 0f;
                for (var i = 0; i < positives.Count; i++)
                {
                    sum += ExampleRule.ContextLoss(TMetric.Similarity(candidate, positives[i]), TMetric.Similarity(candidate, negatives[i]));
                }

                return sum;
            }

            default:
            {
                var bestPositive = float.NegativeInfinity;
                foreach (var p in positives)
                {
                    bestPositive = Math.Max(bestPositive, TMetric.Similarity(candidate, p));
                }

                var bestNegative = float.NegativeInfinity;
                foreach (var n in negatives)
                {
                    bestNegative = Math.Max(bestNegative, TMetric.Similarity(candidate, n));
                }

                return bestPositive > bestNegative ? bestPositive : -(bestNegative * bestNegative);
            }
        }
    }
}
