namespace AotVector.Engine;

/// <summary>
/// Greedy maximal marginal relevance over a set of candidates: the most relevant first, then each time the candidate
/// with the best <c>λ·relevance − (1−λ)·(its highest similarity to one already chosen)</c>. Similarities are raw
/// (greater is closer, whatever the distance), as the reference compares them; λ is 1 − diversity.
/// </summary>
internal static class MaximalMarginalRelevance
{
    /// <summary>
    /// The indexes of the chosen candidates, in the order chosen (at most <paramref name="limit"/>). Ties go to the
    /// earlier candidate. <paramref name="similarity"/>(c, s) compares candidate c (as the query) with chosen s.
    /// </summary>
    public static List<int> Select(IReadOnlyList<float> relevance, Func<int, int, float> similarity, float lambda, int limit)
    {
        var count = relevance.Count;
        var chosen = new List<int>(Math.Min(limit, count));
        if (count == 0 || limit <= 0)
        {
            return chosen;
        }

        var taken = new bool[count];
        var closest = new float[count];
        var first = 0;
        for (var i = 1; i < count; i++)
        {
            if (relevance[i] > relevance[first])
            {
                first = i;
            }
        }

        Choose(first);
        while (chosen.Count < limit && chosen.Count < count)
        {
            var best = -1;
            var bestScore = float.NegativeInfinity;
            for (var i = 0; i < count; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var score = (lambda * relevance[i]) - ((1f - lambda) * closest[i]);
                if (best < 0 || score > bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }

            Choose(best);
        }

        return chosen;

        // Each remaining candidate keeps its highest similarity to the chosen ones, updated once per choice.
        void Choose(int index)
        {
            taken[index] = true;
            chosen.Add(index);
            for (var i = 0; i < count; i++)
            {
                if (!taken[i])
                {
                    var s = similarity(i, index);
                    closest[i] = chosen.Count == 1 ? s : Math.Max(closest[i], s);
                }
            }
        }
    }
}
