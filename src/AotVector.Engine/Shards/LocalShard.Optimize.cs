using AotVector.Segment;

namespace AotVector.Engine.Shards;

internal sealed partial class LocalShard
{
    private readonly CancellationTokenSource _closing = new();
    private int _optimizing;

    /// <summary>
    /// A running build reads the memory-mapped vectors without the lock, so closing must stop it and wait for it
    /// before the files are unmapped. Called before taking the write lock (the build's swap needs that lock).
    /// </summary>
    private void StopOptimizing()
    {
        _closing.Cancel();
        SpinWait.SpinUntil(() => Volatile.Read(ref _optimizing) == 0, TimeSpan.FromMinutes(2));
    }

    public bool IsOptimizing => Volatile.Read(ref _optimizing) != 0;

    public ulong IndexedVectorsCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _disposed ? 0 : _segment.IndexedVectorCount;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Builds the graph of the first vector that needs one. The build reads a fixed prefix of the memory-mapped
    /// vectors without holding the lock, so reads and writes go on; only the swap takes the write lock, so a
    /// search sees either the old graph or the new one, never a half-built one.
    /// </summary>
    public bool Optimize(Func<string, IndexingPolicy> policyFor, int threads, CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _optimizing, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
            var job = PrepareBuild(policyFor);
            if (job is null || linked.IsCancellationRequested)
            {
                job?.Abandon();
                return false;
            }

            try
            {
                job.Run(threads, linked.Token);
            }
            catch (OperationCanceledException)
            {
                job.Abandon();
                return false;
            }

            _lock.EnterWriteLock();
            try
            {
                if (_disposed)
                {
                    job.Abandon();
                    return false;
                }

                _segment.InstallIndex(job);
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            EngineLog.GraphBuilt(_logger, ShardId, job.VectorName, job.Count);
            return true;
        }
        finally
        {
            Volatile.Write(ref _optimizing, 0);
        }
    }

    private IndexBuildJob? PrepareBuild(Func<string, IndexingPolicy> policyFor)
    {
        _lock.EnterReadLock();
        try
        {
            if (_disposed)
            {
                return null;
            }

            foreach (var (name, _) in _vectors.All)
            {
                if (_segment.PrepareIndexBuild(name, policyFor(name)) is { } job)
                {
                    return job;
                }
            }

            return null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }
}
