using AotVector.Common.Model;
using AotVector.Engine.Api;

namespace AotVector.Engine.Shards;

/// <summary>
/// Turns the answers of several replicas of one shard into one, as the reference resolves a read with a
/// consistency above one: an item (a point with the same content, a hit with the same score) is kept when at least
/// <c>agreement</c> answers returned it; a count is the smallest (all must agree) or the median (majority).
/// </summary>
internal static class ReadResolution
{
    public static ulong Count(List<ulong> answers, int agreement)
    {
        if (agreement >= answers.Count)
        {
            return answers.Min();
        }

        var sorted = answers.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Ids returned by enough replicas, ascending, at most <paramref name="limit"/>.</summary>
    public static IReadOnlyList<PointId> Ids(List<IReadOnlyList<PointId>> answers, int agreement, int limit) =>
        [.. Agreed(answers, id => id, agreement).Order().Take(limit)];

    /// <summary>
    /// Hits returned with the same score by enough replicas, best first (ties by id), at most <paramref name="limit"/>;
    /// a point appears once.
    /// </summary>
    public static IReadOnlyList<SearchHit> Hits(List<IReadOnlyList<SearchHit>> answers, int agreement, int limit) =>
        [.. Agreed(answers, hit => (hit.Id, hit.Score), agreement)
            .OrderByDescending(h => h.Score)
            .ThenBy(h => h.Id)
            .DistinctBy(h => h.Id)
            .Take(limit)];

    /// <summary>Points returned with the same payload and vectors by enough replicas, in the order of <paramref name="ids"/>.</summary>
    public static IReadOnlyList<PointRecord> Records(List<IReadOnlyList<PointRecord>> answers, int agreement, IReadOnlyList<PointId> ids)
    {
        var counts = new Dictionary<PointId, List<(PointRecord Record, int Count)>>();
        foreach (var answer in answers)
        {
            foreach (var record in answer.DistinctBy(r => r.Id))
            {
                if (!counts.TryGetValue(record.Id, out var variants))
                {
                    counts[record.Id] = variants = [];
                }

                var index = variants.FindIndex(v => SameRecord(v.Record, record));
                if (index >= 0)
                {
                    variants[index] = (variants[index].Record, variants[index].Count + 1);
                }
                else
                {
                    variants.Add((record, 1));
                }
            }
        }

        var result = new List<PointRecord>(counts.Count);
        foreach (var id in ids.Distinct())
        {
            if (counts.TryGetValue(id, out var variants) && variants.FirstOrDefault(v => v.Count >= agreement) is { Record: { } record })
            {
                result.Add(record);
            }
        }

        return result;
    }

    // Items each answer returned (once per answer), kept when enough answers returned an equal one.
    private static IEnumerable<T> Agreed<T, TKey>(List<IReadOnlyList<T>> answers, Func<T, TKey> key, int agreement)
        where TKey : notnull
    {
        var counts = new Dictionary<TKey, (T Item, int Count)>();
        foreach (var answer in answers)
        {
            foreach (var item in answer.DistinctBy(key))
            {
                var k = key(item);
                counts[k] = counts.TryGetValue(k, out var seen) ? (seen.Item, seen.Count + 1) : (item, 1);
            }
        }

        return counts.Values.Where(v => v.Count >= agreement).Select(v => v.Item);
    }

    // An absent payload and an empty one are the same answer, as the reference compares them.
    private static bool SameRecord(PointRecord a, PointRecord b) =>
        a.Id == b.Id && SamePayload(a.Payload, b.Payload) && SameVectors(a.Vectors, b.Vectors);

    private static bool SamePayload(Payload? a, Payload? b) =>
        (a is null || a.Count == 0) && (b is null || b.Count == 0) || (a is not null && a.Equals(b));

    private static bool SameVectors(IReadOnlyDictionary<string, VectorData>? a, IReadOnlyDictionary<string, VectorData>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && kv.Value.Equals(other));
    }
}
