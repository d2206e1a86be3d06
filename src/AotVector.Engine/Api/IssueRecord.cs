namespace AotVector.Engine.Api;

/// <summary>
/// A problem the engine noticed and a fix for it, in the reference's issues API terms: <see cref="Id"/> is
/// "CODE/instance" (e.g. UNINDEXED_FIELD/books/author), <see cref="Solutions"/> holds one or more requests that would
/// fix it (one: an immediate solution; several: a choice), or none with <see cref="Refactor"/> set instead.
/// </summary>
public sealed record IssueRecord(
    string Id,
    string Description,
    IReadOnlyList<IssueSolution> Solutions,
    string? Refactor,
    DateTimeOffset Timestamp,
    string? RelatedCollection);

/// <summary>A request that would solve an issue: method, URI and a JSON body of string fields.</summary>
public sealed record IssueSolution(string Message, string Method, string Uri, IReadOnlyList<KeyValuePair<string, string>> Body);
