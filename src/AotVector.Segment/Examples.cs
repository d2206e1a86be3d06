using AotVector.Kernels.Distance;

namespace AotVector.Segment;

/// <summary>Positive and negative example vectors and the rule that scores a candidate against them.</summary>
internal readonly struct Examples(ExampleScoring scoring, IReadOnlyList<float[]> positives, IReadOnlyList<float[]> negatives)
{
    public float Score<TMetric>(ReadOnlySpan<float> candidate)
        where TMetric : struct, IDistanceMetric
    {
        if (scoring == ExampleScoring.SumScores)
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
