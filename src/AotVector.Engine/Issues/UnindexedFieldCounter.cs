using System.Collections.Concurrent;
using AotVector.Engine.Api;

namespace AotVector.Engine.Issues;

/// <summary>
/// Counts the searches filtered on each unindexed field of each collection, so a field filtered on again and again
/// is reported (the reference's UNINDEXED_FIELD issue) even when each search is fast: the planner's columnar pass hides
/// the cost the reference sees as a slow query, yet an index would still make those searches cheaper.
/// </summary>
internal sealed class UnindexedFieldCounter(int every)
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Searches with one field unindexed before it is reported (and again after each as many, should the board be cleared).</summary>
    public int Every { get; } = every;

    /// <summary>Counts one search whose filter has these <paramref name="unindexed"/> issues; returns those that reached a multiple of <see cref="Every"/>.</summary>
    public IEnumerable<IssueRecord> Count(IReadOnlyList<IssueRecord> unindexed)
    {
        foreach (var issue in unindexed)
        {
            if (_counts.AddOrUpdate(issue.Id, 1, static (_, n) => n + 1) % Every == 0)
            {
                yield return issue;
            }
        }
    }

    /// <summary>Forgets the count of one issue (its field got an index).</summary>
    public void Forget(string issueId) => _counts.TryRemove(issueId, out _);

    /// <summary>Forgets the counts of a deleted collection.</summary>
    public void ForgetCollection(string collection)
    {
        var prefix = UnindexedFieldIssues.IssueId(collection, string.Empty);
        foreach (var id in _counts.Keys)
        {
            if (id.StartsWith(prefix, StringComparison.Ordinal))
            {
                _counts.TryRemove(id, out _);
            }
        }
    }
}
