namespace AotVector.Segment;

/// <summary>How <see cref="PointSegment.ScoreByExamples"/> turns a candidate's similarities to the examples into one score.</summary>
public enum ExampleScoring : byte
{
    /// <summary>The best positive similarity if it beats every negative one, else minus the square of the best negative.</summary>
    BestScore,

    /// <summary>The sum of the positive similarities minus the sum of the negative ones.</summary>
    SumScores,

    /// <summary>
    /// Discovery: positives[i] and negatives[i] are context pairs. The integer part counts the pairs whose positive is
    /// closer than its negative minus those whose negative is closer; the fraction is the target similarity squashed
    /// into (0, 1), so the context ranks first and the target breaks ties.
    /// </summary>
    Discover,

    /// <summary>
    /// Context: positives[i] and negatives[i] are pairs; each pair adds a smooth penalty in (-1, 0] that is 0 once the
    /// candidate is closer to the positive than to the negative, so the best zone scores 0 everywhere.
    /// </summary>
    Context,
}
