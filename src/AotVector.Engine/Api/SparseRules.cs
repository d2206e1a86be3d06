using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>Refusals about sparse vectors that both front ends and the engine give in the same words.</summary>
public static class SparseRules
{
    /// <summary>A sparse vector where the name holds a dense one, or the other way round.</summary>
    public static AvError WrongSparse { get; } = AvError.BadRequest("Conversion between sparse and regular vectors failed");

    /// <summary>A sparse vector given as the unnamed vector (sparse vectors always have a name).</summary>
    public static AvError Unnamed { get; } = AvError.BadRequest("a sparse vector must be named: {\"<name>\": {\"indices\": [...], \"values\": [...]}}");
}
