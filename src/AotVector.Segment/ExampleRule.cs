namespace AotVector.Segment;

/// <summary>
/// The score of one candidate from its raw similarities (greater is closer) to a query's examples, for every
/// <see cref="ExampleScoring"/>, whatever the vectors are (dense, multi rows, sparse).
/// </summary>
internal static class ExampleRule
{
    // The reference's margin is the single-precision machine epsilon, not the smallest positive float.
    private const float ContextMargin = 1.1920929E-07f;

    public static float Score<TVector>(ExampleScoring scoring, TVector? target, IReadOnlyList<TVector> positives, IReadOnlyList<TVector> negatives, Func<TVector, float> similarity)
        where TVector : class
    {
        switch (scoring)
        {
            case ExampleScoring.SumScores:
            {
                var sum = 0f;
                foreach (var p in positives)
                {
                    sum += similarity(p);
                }

                foreach (var n in negatives)
                {
                    sum -= similarity(n);
                }

                return sum;
            }

            case ExampleScoring.Discover:
            {
                var rank = 0;
                for (var i = 0; i < positives.Count; i++)
                {
                    rank += Side(similarity(positives[i]), similarity(negatives[i]));
                }

                return rank + ScaledSigmoid(target is null ? 0f : similarity(target));
            }

            case ExampleScoring.Context:
            {
                var sum = 0f;
                for (var i = 0; i < positives.Count; i++)
                {
                    sum += ContextLoss(similarity(positives[i]), similarity(negatives[i]));
                }

                return sum;
            }

            default:
            {
                var bestPositive = float.NegativeInfinity;
                foreach (var p in positives)
                {
                    bestPositive = Math.Max(bestPositive, similarity(p));
                }

                var bestNegative = float.NegativeInfinity;
                foreach (var n in negatives)
                {
                    bestNegative = Math.Max(bestNegative, similarity(n));
                }

                return bestPositive > bestNegative ? bestPositive : -(bestNegative * bestNegative);
            }
        }
    }

    /// <summary>+1 when closer to the positive, -1 when closer to the negative, 0 on a tie (a total order, NaN included).</summary>
    public static int Side(float positive, float negative) => Math.Sign(positive.CompareTo(negative));

    /// <summary>x / (1 + |x|): a sigmoid-shaped map onto (-1, 1) without an exponential.</summary>
    public static float FastSigmoid(float x) => x / (1f + Math.Abs(x));

    /// <summary><see cref="FastSigmoid"/> moved onto (0, 1).</summary>
    public static float ScaledSigmoid(float x) => 0.5f * (FastSigmoid(x) + 1f);

    public static float ContextLoss(float positive, float negative) => FastSigmoid(Math.Min(positive - negative - ContextMargin, 0f));
}
