namespace AotVector.Common.Filtering;

/// <summary>
/// A Qdrant filter: every present clause must hold. A null clause puts no constraint; an empty
/// <see cref="Should"/> list matches nothing (REST semantics; gRPC front end passes null for empty).
/// </summary>
public sealed record Filter(
    IReadOnlyList<Condition>? Must = null,
    IReadOnlyList<Condition>? Should = null,
    IReadOnlyList<Condition>? MustNot = null,
    MinShould? MinShould = null);

/// <summary>At least <see cref="MinCount"/> of <see cref="Conditions"/> must hold.</summary>
public sealed record MinShould(IReadOnlyList<Condition> Conditions, int MinCount);
