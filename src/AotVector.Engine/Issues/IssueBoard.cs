using System.Collections.Concurrent;
using AotVector.Engine.Api;

namespace AotVector.Engine.Issues;

/// <summary>
/// The issues the engine has noticed, by id. An issue is submitted once (a later sighting keeps the first
/// timestamp) and stays until it is solved (its cause went away: the field got an index, the collection was
/// deleted) or an operator clears the board.
/// </summary>
internal sealed class IssueBoard
{
    private readonly ConcurrentDictionary<string, IssueRecord> _issues = new(StringComparer.Ordinal);

    public void Submit(IssueRecord issue) => _issues.TryAdd(issue.Id, issue);

    public void Solve(string id) => _issues.TryRemove(id, out _);

    public void SolveForCollection(string collection)
    {
        foreach (var (id, issue) in _issues)
        {
            if (issue.RelatedCollection == collection)
            {
                _issues.TryRemove(id, out _);
            }
        }
    }

    public void Clear() => _issues.Clear();

    public IReadOnlyList<IssueRecord> All() => [.. _issues.Values.OrderBy(i => i.Timestamp).ThenBy(i => i.Id, StringComparer.Ordinal)];
}
