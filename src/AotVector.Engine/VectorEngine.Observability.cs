using System.Diagnostics;
using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using AotVector.Engine.Issues;

namespace AotVector.Engine;

/// <summary>What the engine tells operators: per-collection reports, the optimizer's work, and the issues it noticed.</summary>
public sealed partial class VectorEngine
{
    /// <summary>Finished optimizations the optimizations API lists unless asked for another number.</summary>
    public const int DefaultCompletedLimit = 16;

    private readonly IssueBoard _issues = new();

    // Filtered searches on an unindexed field before it is reported though none was slow.
    private readonly UnindexedFieldCounter _unindexedSearches = new(RepeatedUnindexedSearches);
    private readonly IndexWaitIssues _indexWaits = new();

    /// <summary>
    /// A query slower than this is checked for filters on unindexed fields (the reference's slow_query_secs,
    /// 1.2 s by default); each such field becomes an UNINDEXED_FIELD issue.
    /// </summary>
    public TimeSpan SlowQueryThreshold { get; set; } = TimeSpan.FromSeconds(1.2);

    /// <summary>Searches filtered on one unindexed field after which it is reported as UNINDEXED_FIELD though none was slow.</summary>
    internal const int RepeatedUnindexedSearches = 100;

    /// <summary>
    /// A segment past the indexing threshold that has had no graph for longer than this becomes a
    /// SEGMENT_WAITING_FOR_INDEX issue. Long enough that a large segment's build in a busy optimizer is not one.
    /// </summary>
    public TimeSpan IndexWaitThreshold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The collections <paramref name="access"/> may see, by name, with what the engine knows of each.</summary>
    public IReadOnlyList<CollectionReport> Reports(AccessContext access, int completedLimit = DefaultCompletedLimit)
    {
        var reports = new List<CollectionReport>();
        foreach (var c in _toc.Collections.Where(c => access.CanSee(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            try
            {
                reports.Add(c.Report(completedLimit) with { Snapshots = _snapshotCounters.For(c.Name) });
            }
            catch (ObjectDisposedException)
            {
                // Deleted while we were looking at it.
            }
        }

        return reports;
    }

    /// <summary>GET /collections/{name}/optimizations: needs read access to the collection.</summary>
    public Result<OptimizationsReport> GetOptimizations(AccessContext access, string name, int completedLimit = DefaultCompletedLimit) =>
        Guard(() => Resolve(access, name, AccessLevel.Read).Map(c => c.Optimizations(Math.Max(0, completedLimit)).Report));

    /// <summary>
    /// Every issue for a caller with global access; for a token scoped to some collections, the issues of those
    /// collections only (as the reference filters them).
    /// </summary>
    public IReadOnlyList<IssueRecord> Issues(AccessContext access)
    {
        NoteOptimizerErrors();
        NoteBrokenCollections();
        NoteIndexWaits();
        var all = _issues.All();
        return access.Global >= AccessLevel.Read
            ? all
            : [.. all.Where(i => i.RelatedCollection is { } c && access.CanSee(c))];
    }

    /// <summary>DELETE /issues: global manage access.</summary>
    public Result<bool> ClearIssues(AccessContext access)
    {
        if (!access.CanManage)
        {
            return s_manageRequired;
        }

        _issues.Clear();
        return true;
    }

    /// <summary>
    /// A collection whose optimizer failed has an OPTIMIZER_ERROR issue for as long as the failure lasts (the
    /// optimizer retries every second; a success clears it). Brought up to date whenever the issues are read.
    /// </summary>
    private void NoteOptimizerErrors()
    {
        foreach (var c in _toc.Collections)
        {
            var id = OptimizerErrorIssues.IssueId(c.Name);
            if (c.OptimizerError is { } error)
            {
                _issues.Submit(OptimizerErrorIssues.Create(c.Name, error, _time.GetUtcNow()));
            }
            else
            {
                _issues.Solve(id);
            }
        }
    }

    /// <summary>
    /// A collection that could not be loaded has a BROKEN_COLLECTION issue for as long as it stays broken (deleting
    /// it clears it). Raised when loading ends and brought up to date whenever the issues are read.
    /// </summary>
    private void NoteBrokenCollections()
    {
        var broken = _toc.Status.Broken;
        foreach (var b in broken)
        {
            _issues.Submit(BrokenCollectionIssues.Create(b, _time.GetUtcNow()));
        }

        foreach (var issue in _issues.All())
        {
            if (issue.Id.StartsWith(BrokenCollectionIssues.Code + "/", StringComparison.Ordinal) && !broken.Any(b => BrokenCollectionIssues.IssueId(b.Name) == issue.Id))
            {
                _issues.Solve(issue.Id);
            }
        }
    }

    /// <summary>
    /// Notes which segments wait for their graphs and raises or solves SEGMENT_WAITING_FOR_INDEX issues; run every
    /// second by the flusher (which keeps ticking while the optimizer is busy with a long build) and when the issues
    /// are read.
    /// </summary>
    private void NoteIndexWaits() => _indexWaits.Note(_toc.Collections, _time.GetUtcNow(), IndexWaitThreshold, _issues);

    // After a query: a slow one with a filter may be slow for want of payload indexes.
    // Also counts the search against each unindexed field it filters on: one filtered on repeatedly is reported too.
    private void CheckSlowQuery(Collection collection, Filter? filter, long startedAt)
    {
        if (filter is null)
        {
            return;
        }

        // Most filters are on indexed fields: checked first without building any issue.
        var indexed = collection.RecentIndexedFields();
        if (!UnindexedFieldIssues.MayTouchUnindexed(filter, indexed))
        {
            return;
        }

        var unindexed = UnindexedFieldIssues.Find(collection.Name, filter, indexed, _time.GetUtcNow());
        var slow = Stopwatch.GetElapsedTime(startedAt) > SlowQueryThreshold;
        foreach (var issue in slow ? unindexed : _unindexedSearches.Count(unindexed))
        {
            _issues.Submit(issue);
        }
    }

    private void FieldIndexed(Collection collection, string field)
    {
        collection.ForgetRecentIndexedFields();
        _issues.Solve(UnindexedFieldIssues.IssueId(collection.Name, field));
        _unindexedSearches.Forget(UnindexedFieldIssues.IssueId(collection.Name, field));
    }

    private void CollectionDeleted(string name)
    {
        _issues.SolveForCollection(name);
        _unindexedSearches.ForgetCollection(name);
    }
}
