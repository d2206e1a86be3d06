using System.Collections.Concurrent;
using AotVector.Engine.Api;

namespace AotVector.Engine.Snapshots;

/// <summary>
/// Snapshot creations and recoveries running, and snapshots created, per collection name (collection and shard
/// snapshots; a full snapshot is the storage's, not one collection's).
/// </summary>
internal sealed class SnapshotCounters
{
    private readonly ConcurrentDictionary<string, Counts> _byCollection = new(StringComparer.Ordinal);

    public SnapshotActivity For(string collection) =>
        _byCollection.TryGetValue(collection, out var c)
            ? new SnapshotActivity(Volatile.Read(ref c.Creating), Volatile.Read(ref c.Recovering), (ulong)Interlocked.Read(ref c.Created))
            : default;

    public void BeginCreate(string collection) => Interlocked.Increment(ref Get(collection).Creating);

    public void EndCreate(string collection, bool created)
    {
        var c = Get(collection);
        if (created)
        {
            Interlocked.Increment(ref c.Created);
        }

        Interlocked.Decrement(ref c.Creating);
    }

    public void BeginRecover(string collection) => Interlocked.Increment(ref Get(collection).Recovering);

    public void EndRecover(string collection) => Interlocked.Decrement(ref Get(collection).Recovering);

    private Counts Get(string collection) => _byCollection.GetOrAdd(collection, static _ => new Counts());

    private sealed class Counts
    {
        public int Creating;
        public int Recovering;
        public long Created;
    }
}
