using AotVector.Engine.Api;

namespace AotVector.Engine.Issues;

/// <summary>
/// OPTIMIZER_ERROR: a collection's optimizer failed (a full disk, an unreadable segment). Not one of the reference's
/// issue codes; it reports what the collection's optimizer_status says, in the issues API where operators look.
/// </summary>
internal static class OptimizerErrorIssues
{
    public const string Code = "OPTIMIZER_ERROR";

    public static string IssueId(string collection) => $"{Code}/{collection}";

    public static IssueRecord Create(string collection, string error, DateTimeOffset now) => new(
        IssueId(collection),
        $"Optimizer failed in collection '{collection}': {error}",
        [],
        "The collection keeps serving from its current segments and the optimizer retries every second. Fix the cause named here (often disk space); the issue clears once an optimization succeeds.",
        now,
        collection);
}
