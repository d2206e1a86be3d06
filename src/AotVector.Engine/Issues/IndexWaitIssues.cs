using System.Globalization;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;

namespace AotVector.Engine.Issues;

/// <summary>
/// SEGMENT_WAITING_FOR_INDEX: a segment past the indexing threshold has had no graph for longer than a bound, so every
/// search scans it exactly. Not one of the reference's issue codes (the reference has no such issue). The wait counts
/// from when the engine first saw the segment due (the appendable segment passing the threshold, a sealed or merged
/// segment without its graph) until its graph is built or the segment is merged away; a restart starts it anew.
/// </summary>
internal sealed class IndexWaitIssues
{
    public const string Code = "SEGMENT_WAITING_FOR_INDEX";

    private readonly object _gate = new();

    // Per collection, shard and segment: when the engine first saw it waiting.
    private readonly Dictionary<(string Collection, uint Shard, string Segment), DateTimeOffset> _since = [];

    public static string IssueId(string collection, uint shard, string segment) =>
        $"{Code}/{collection}/{shard.ToString(CultureInfo.InvariantCulture)}/{segment}";

    /// <summary>
    /// Brings the waits up to date with <paramref name="collections"/>: a segment waiting past
    /// <paramref name="bound"/> gets its issue, one no longer waiting (its graph built, merged away, its collection
    /// deleted) loses it.
    /// </summary>
    public void Note(IReadOnlyCollection<Collection> collections, DateTimeOffset now, TimeSpan bound, IssueBoard board)
    {
        lock (_gate)
        {
            var seen = new HashSet<(string, uint, string)>();
            foreach (var c in collections)
            {
                IReadOnlyList<(uint Shard, string Segment, ulong Points)> waiting;
                try
                {
                    waiting = c.SegmentsAwaitingIndex();
                }
                catch (ObjectDisposedException)
                {
                    continue; // Deleted while we were looking at it.
                }

                foreach (var (shard, segment, points) in waiting)
                {
                    var key = (c.Name, shard, segment);
                    seen.Add(key);
                    if (!_since.TryGetValue(key, out var since))
                    {
                        _since[key] = since = now;
                    }

                    if (now - since > bound)
                    {
                        board.Submit(Create(c.Name, shard, segment, points, bound, now));
                    }
                }
            }

            foreach (var key in _since.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                _since.Remove(key);
                board.Solve(IssueId(key.Collection, key.Shard, key.Segment));
            }
        }
    }

    private static IssueRecord Create(string collection, uint shard, string segment, ulong points, TimeSpan bound, DateTimeOffset now) => new(
        IssueId(collection, shard, segment),
        $"Segment {segment} of shard {shard} in collection '{collection}' has waited more than {Describe(bound)} for its vector index; until it is built, every search scans all of its {points} points",
        [],
        $"The optimizer builds one index at a time. See what it is doing with GET /collections/{Uri.EscapeDataString(collection)}/optimizations and look for failures in the server log; free disk space if the storage is below its floor (storage.min_free_space_mb); if builds are merely slow, give them more threads (hnsw_config.max_indexing_threads) or write in smaller bursts. The issue clears once the index is built.",
        now,
        collection);

    private static string Describe(TimeSpan bound) =>
        bound.TotalMinutes >= 1 && bound.Seconds == 0
            ? $"{bound.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes"
            : $"{bound.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds";
}
