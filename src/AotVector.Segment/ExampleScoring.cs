namespace AotVector.Segment;

/// <summary>How <see cref="PointSegment.ScoreByExamples"/> turns a candidate's similarities to the examples into one score.</summary>
public enum ExampleScoring : byte
{
    /// <summary>The best positive similarity if it beats every negative one, else minus the square of the best negative.</summary>
    BestScore,

    /// <summary>The sum of the positive similarities minus the sum of the negative ones.</summary>
    SumScores,
}
