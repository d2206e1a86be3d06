using AotVector.Engine.Api;

namespace AotVector.Engine.Issues;

/// <summary>
/// BROKEN_COLLECTION: a collection whose files could not be opened at startup. Not one of the reference's issue codes
/// (the reference stops at startup instead); it says in the issues API what the collection's 503 and /readyz say.
/// The fix is the operator's (repair or restore the files, or delete the collection), so it is offered as text, not
/// as a request: a delete would drop data the operator may still recover.
/// </summary>
internal static class BrokenCollectionIssues
{
    public const string Code = "BROKEN_COLLECTION";

    public static string IssueId(string collection) => $"{Code}/{collection}";

    public static IssueRecord Create(BrokenCollection broken, DateTimeOffset now) => new(
        IssueId(broken.Name),
        $"Collection '{broken.Name}' could not be loaded at startup and answers 503 until it is repaired or deleted: {broken.Reason}",
        [],
        $"Restore the files under {broken.Directory} (from a backup or snapshot) and restart the server, or delete the collection (DELETE /collections/{Uri.EscapeDataString(broken.Name)}) to drop its data and create it anew. Every other collection keeps serving meanwhile.",
        now,
        broken.Name);
}
