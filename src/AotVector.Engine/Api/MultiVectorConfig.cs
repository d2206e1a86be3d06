namespace AotVector.Engine.Api;

/// <summary>How a multivector is compared with another: the only comparator the reference has is MaxSim.</summary>
public sealed record MultiVectorConfig(MultiVectorComparator Comparator);

/// <summary>
/// MaxSim: for each query vector the best similarity among the point's vectors, summed over the query vectors
/// (the late-interaction score of ColBERT).
/// </summary>
public enum MultiVectorComparator : byte
{
    MaxSim = 0,
}
