using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Collections;
using AotVector.Engine.Operations;
using AotVector.Segment;

namespace AotVector.Engine.Shards;

/// <summary>
/// Vector names added to and removed from a shard that holds points. The operations go through the WAL like point
/// updates; applying one changes every segment and persists it at once (the WAL is synced up to the operation
/// first). On replay, a segment persisted after the operation is not rebuilt: a removal only clears the values of
/// points older than it, which a replayed upsert may have put back. After the replay, <see cref="MatchVectors"/>
/// makes the segments agree with the collection's config, which is saved before an operation is logged.
/// </summary>
internal sealed partial class LocalShard
{
    // Counts the vector name operations applied since open: a merge or vacuum started under another count built
    // its segment with the old vectors and is given up; writes are checked against the shard's own vectors once
    // there has been one, as a config read before it may be stale.
    private int _schemaChanges;

    // The sparse names the collection has (null until MatchVectors: segments then take any sparse name).
    private HashSet<string>? _sparseNames;

    // Set when retired columns wait for the running optimization to end (released in its finally).
    private volatile bool _retiredWaiting;

    // While replaying, vectors are fitted to the segment they land in (see FitTo).
    private bool _replaying;

    /// <summary>
    /// Makes every segment hold exactly the given vectors, as the collection's config lists them: a vector the config
    /// no longer has is removed, one it has and a segment lacks (or holds with another shape) is added empty. Called
    /// after the shard opened, replayed and flushed, so a vector name operation whose config was saved but which never
    /// reached the WAL still takes effect.
    /// </summary>
    internal void MatchVectors(VectorsConfig vectors, IEnumerable<string> sparseNames)
    {
        var specs = ToSpecs(vectors);
        var sparse = new HashSet<string>(sparseNames, StringComparer.Ordinal);
        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                foreach (var s in _segments)
                {
                    var version = s.Segment.PersistedVersion;
                    foreach (var (name, _) in s.Segment.Vectors)
                    {
                        if (!specs.ContainsKey(name))
                        {
                            s.Segment.DropVector(name, version);
                        }
                    }

                    foreach (var name in s.Segment.SparseVectorNames.ToList())
                    {
                        if (!sparse.Contains(name))
                        {
                            s.Segment.DropVector(name, version);
                        }
                    }

                    foreach (var (name, spec) in specs)
                    {
                        s.Segment.AddVector(name, spec, version);
                    }
                }

                _vectors = vectors;
                _sparseNames = sparse;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }

    // Caller holds the gate and the write lock.
    private void ApplyCreateVectorName(CreateVectorName op, ulong version)
    {
        _wal.FlushUpTo(version);
        if (op.Dense is { } spec)
        {
            _vectors = _vectors.With(op.Name, new VectorParams((ulong)spec.Dimension, spec.Distance, MultivectorConfig: spec.Multi ? new MultiVectorConfig(MultiVectorComparator.MaxSim) : null) { Datatype = spec.Datatype });
            foreach (var s in _segments)
            {
                if (s.PersistedVersion < version)
                {
                    s.Segment.AddVector(op.Name, spec, version);
                }
            }
        }
        else
        {
            _sparseNames?.Add(op.Name);
        }

        _schemaChanges++;
        ReleaseRetiredColumns();
    }

    // Caller holds the gate and the write lock.
    private void ApplyDeleteVectorName(DeleteVectorName op, ulong version)
    {
        _wal.FlushUpTo(version);
        _vectors = _vectors.Without(op.Name);
        _sparseNames?.Remove(op.Name);
        foreach (var s in _segments)
        {
            if (s.PersistedVersion < version)
            {
                s.Segment.DropVector(op.Name, version);
            }
            else if (s.Segment.ClearVectorBefore(op.Name, version))
            {
                s.Dirty = true;
            }
        }

        _schemaChanges++;
        ReleaseRetiredColumns();
    }

    /// <summary>
    /// Unmaps the columns vector name removals took out of segments, unless an optimization is running: an in-place
    /// graph build reads its column with no lock, so that one is released when the optimizer is next idle. Caller
    /// holds the gate (no removal runs meanwhile, and no job planned after a removal can reach its column).
    /// </summary>
    private void ReleaseRetiredColumns()
    {
        if (_disposed)
        {
            return;
        }

        if (Volatile.Read(ref _optimizing) != 0)
        {
            _retiredWaiting = true;
            return;
        }

        foreach (var s in _segments)
        {
            s.Segment.ReleaseRetired();
        }
    }

    /// <summary>
    /// The refusal of a write whose vectors this shard no longer has as the collection validated them (a vector name
    /// was removed or re-created between the two), or null. Caller holds the gate. Free until the first vector name
    /// operation: the config the collection validated against cannot differ from the shard's before it.
    /// </summary>
    private AvError? CheckVectorNames(UpdateOperation op)
    {
        if (_schemaChanges == 0)
        {
            return null;
        }

        switch (op)
        {
            case UpsertPoints u:
                foreach (var p in u.Points)
                {
                    if (CheckVectorNames(p.Vectors) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case UpdateVectors uv:
                foreach (var p in uv.Points)
                {
                    if (CheckVectorNames(p.Vectors) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private AvError? CheckVectorNames(IReadOnlyDictionary<string, VectorData> vectors)
    {
        foreach (var (name, data) in vectors)
        {
            if (data is SparseVector)
            {
                if (_sparseNames is { } names && !names.Contains(name))
                {
                    return Collection.NoSuchVector(name);
                }

                continue;
            }

            if (_vectors.Find(name) is not { } p)
            {
                return Collection.NoSuchVector(name);
            }

            var length = data switch
            {
                DenseVector d => d.Values.Length,
                MultiDenseVector m => m.Dimension,
                _ => -1,
            };
            if ((ulong)length != p.Size || (data is MultiDenseVector && p.MultivectorConfig is null))
            {
                return AvError.BadRequest($"Vector dimension error: expected dim: {p.Size}, got {length}");
            }
        }

        return null;
    }

    /// <summary>
    /// During a replay, the vectors of a replayed write that <paramref name="segment"/> cannot hold: an older write
    /// landing in a segment persisted after its vector was removed (or re-created with another shape). Those values
    /// were removed by the later operation, so leaving them out is what the replay must arrive at.
    /// </summary>
    private IReadOnlyDictionary<string, VectorData> FitTo(PointSegment segment, IReadOnlyDictionary<string, VectorData> vectors)
    {
        if (!_replaying)
        {
            return vectors;
        }

        Dictionary<string, VectorData>? fitted = null;
        foreach (var (name, data) in vectors)
        {
            if (!segment.Fits(name, data))
            {
                fitted ??= new Dictionary<string, VectorData>(vectors, StringComparer.Ordinal);
                fitted.Remove(name);
            }
        }

        return fitted ?? vectors;
    }
}
