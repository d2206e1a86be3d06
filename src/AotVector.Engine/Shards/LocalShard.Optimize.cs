using System.Diagnostics;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Ports;
using AotVector.Segment;

namespace AotVector.Engine.Shards;

/// <summary>
/// The shard's optimizer, one job at a time, in this order: seal the appendable segment once it passes the
/// indexing threshold (or the maximum segment size); build the graph (and the sparse index files) of a sealed
/// segment that has none; merge the smallest sealed segments while there are more than the target number; rebuild
/// graphs and sparse index files that are outdated or built with another config (Qdrant's config mismatch
/// optimizer), or drop graphs when m is 0;
/// vacuum a sealed segment with too many deleted points. Sealing only changes roles. Graphs are built from the
/// memory-mapped vectors with no lock held; a rebuilt one replaces the old under the write lock, so searches use the
/// old graph until then. A merge or vacuum copies the live points of its frozen sources into a new segment in small
/// batches under the read lock, builds its graphs unlocked, then swaps under the writer gate after replaying the
/// deletes the sources received meanwhile, so a search sees either the old segments or the new one.
/// </summary>
internal sealed partial class LocalShard
{
    private const int CopyBatch = 1024;

    // Payload files whose dead records pass this (and the deleted threshold's share) are compacted by a vacuum.
    private const ulong PayloadGarbageMinBytes = 32 * 1024 * 1024;

    private readonly CancellationTokenSource _closing = new();
    private readonly OptimizationLog _log = new(TimeProvider.System);
    private int _optimizing;
    private int _graphsBuilt;

    // Set when the previous run of this shard ended before its optimizations did (a merge left behind, a sealed
    // segment still without graphs). Graph builds take most of the optimizer's time, so in a crash loop whose runs
    // were shorter than a build no merge ever finished and every run added a sealed segment. In this run merges
    // come before missing graphs, and a merged segment is swapped in as soon as its points are copied (its graphs
    // are built by the jobs after it), so each run brings the segment count back down.
    private bool _recovering;

    /// <summary>
    /// A running job reads memory-mapped vectors without the lock, so closing must stop it and wait for it
    /// before the files are unmapped. Called before taking the gate (the job's swap needs it).
    /// </summary>
    private void StopOptimizing()
    {
        _closing.Cancel();
        SpinWait.SpinUntil(() => Volatile.Read(ref _optimizing) == 0, TimeSpan.FromMinutes(2));
    }

    public bool IsOptimizing => Volatile.Read(ref _optimizing) != 0;

    /// <summary>Runs between a merge's copy and its swap (tests interleave writes there).</summary>
    internal Action? BeforeSwapForTests { get; set; }

    /// <summary>Runs while a flush or a swap holds writers off, after its file writes (tests search there).</summary>
    internal Action? WritersHeldForTests { get; set; }

    /// <summary>
    /// Graphs built in place on sealed segments since this shard was opened (tests count rebuilds). Counted under
    /// the write lock with the install, so a reader that sees the old count saw the old graph before it.
    /// </summary>
    internal int GraphsBuilt => Volatile.Read(ref _graphsBuilt);

    /// <summary>Per segment and named vector with a graph: the m and ef_construct it was built with.</summary>
    internal IReadOnlyList<(string Segment, string Vector, int M, int EfConstruct)> DescribeGraphs()
    {
        _lock.EnterReadLock();
        try
        {
            var graphs = new List<(string, string, int, int)>();
            foreach (var s in _segments)
            {
                foreach (var (name, _) in _vectors.All)
                {
                    if (s.Segment.GraphParameters(name) is { } p)
                    {
                        graphs.Add((s.Name, name, p.M, p.EfConstruct));
                    }
                }
            }

            return graphs;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Name, role, live and deleted points, and vectors covered by graphs, per segment.</summary>
    internal IReadOnlyList<(string Name, bool Appendable, ulong Points, ulong Deleted, ulong Indexed)> DescribeSegments()
    {
        _lock.EnterReadLock();
        try
        {
            return [.. _segments.Select(s => (s.Name, s.Appendable, s.Segment.PointsCount, s.Segment.DeletedCount, s.Segment.IndexedVectorCount))];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The last optimization failure, cleared by the next success.</summary>
    public string? OptimizerError { get; private set; }

    public ulong IndexedVectorsCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                ulong total = 0;
                if (!_disposed)
                {
                    foreach (var s in _segments)
                    {
                        total += s.Segment.IndexedVectorCount;
                    }
                }

                return total;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public bool HasPendingOptimization(OptimizerPolicy policy)
    {
        _lock.EnterReadLock();
        try
        {
            return !_disposed && Plan(policy) is not null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Runs the next job the policy calls for; returns whether it did any work.</summary>
    public bool Optimize(OptimizerPolicy policy, int threads, CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _optimizing, 1, 0) != 0)
        {
            return false;
        }

        OptimizationRecord? record = null;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
            Volatile.Write(ref _onDiskPayload, policy.OnDiskPayload);
            PlaceAll(policy);
            ApplyScanCodes(policy);
            Job? job;
            _lock.EnterReadLock();
            try
            {
                job = _disposed ? null : Plan(policy);
            }
            finally
            {
                _lock.ExitReadLock();
            }

            if (job is null)
            {
                return false;
            }

            record = _log.Start(ShardId.ToString(System.Globalization.CultureInfo.InvariantCulture), OptimizerName(job), JobSegments(job));
            var done = job switch
            {
                Job.Seal => Seal(policy),
                Job.Index index => BuildGraph(index.Segment, index.VectorName, policy, threads, linked.Token),
                Job.SparseIndex sparse => BuildSparseIndex(sparse.Segment, sparse.VectorName, policy, linked.Token),
                Job.DropIndex drop => DropGraph(drop.Segment, drop.VectorName, policy),
                Job.Rebuild rebuild => Rebuild(rebuild.Sources, rebuild.Kind, policy, threads, linked.Token),
                _ => throw new UnreachableException(),
            };
            if (done)
            {
                OptimizerError = null;
                _log.Finish(record, OptimizationState.Done, null);
            }
            else if (linked.IsCancellationRequested)
            {
                _log.Finish(record, OptimizationState.Cancelled, "the shard is closing");
            }
            else
            {
                _log.Forget(record);
            }

            return done;
        }
        catch (OperationCanceledException) when (record is not null)
        {
            _log.Finish(record, OptimizationState.Cancelled, "the shard is closing");
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            OptimizerError = e.Message;
            if (record is not null)
            {
                _log.Finish(record, OptimizationState.Failed, e.Message);
            }

            throw;
        }
        finally
        {
            Volatile.Write(ref _optimizing, 0);
            if (_retiredWaiting)
            {
                lock (_writers)
                {
                    _retiredWaiting = false;
                    ReleaseRetiredColumns();
                }
            }
        }
    }

    // The reference's optimizer names: sealing and first graphs are indexing, graphs rebuilt or dropped for another
    // hnsw config are config_mismatch; merge and vacuum keep their names.
    private static string OptimizerName(Job job) => job switch
    {
        Job.Index index when index.Segment.Segment.GraphParameters(index.VectorName) is not null => "config_mismatch",
        Job.DropIndex => "config_mismatch",
        Job.SparseIndex sparse when sparse.Segment.Segment.SparseIndexInfo(sparse.VectorName) is not null => "config_mismatch",
        Job.Rebuild rebuild => rebuild.Kind,
        _ => "indexing",
    };

    private IReadOnlyList<OptimizationSegment> JobSegments(Job job) => job switch
    {
        Job.Seal => [Describe(_appendable)],
        Job.Index index => [Describe(index.Segment)],
        Job.SparseIndex sparse => [Describe(sparse.Segment)],
        Job.DropIndex drop => [Describe(drop.Segment)],
        Job.Rebuild rebuild => [.. rebuild.Sources.Select(Describe)],
        _ => [],
    };

    private static OptimizationSegment Describe(ShardSegment s) => new(s.Name, s.Segment.PointsCount);

    /// <summary>
    /// The optimizer's state for the optimizations API and telemetry: the running job, the next one the planner
    /// picks, the recent finished ones and the segments in none of these.
    /// </summary>
    internal (OptimizationsReport Report, ulong Done, ulong Failed, ulong OptimizedPoints) DescribeOptimizations(OptimizerPolicy policy)
    {
        var (running, finished) = _log.Snapshot();
        PendingOptimization? pending = null;
        List<OptimizationSegment> all;
        _lock.EnterReadLock();
        try
        {
            if (_disposed)
            {
                return (new OptimizationsReport([], [], finished, []), _log.Done, _log.Failed, _log.OptimizedPoints);
            }

            all = [.. _segments.Select(Describe)];
            // While a job runs its sources are frozen, so the planner names the job after it.
            if (Plan(policy) is { } next && (running is null || !IsRunningJob(next, running)))
            {
                pending = new PendingOptimization(OptimizerName(next), JobSegments(next));
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        var busy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in running?.Segments ?? [])
        {
            busy.Add(s.Id);
        }

        foreach (var s in pending?.Segments ?? [])
        {
            busy.Add(s.Id);
        }

        var report = new OptimizationsReport(
            running is null ? [] : [running],
            pending is null ? [] : [pending],
            finished,
            [.. all.Where(s => !busy.Contains(s.Id))]);
        return (report, _log.Done, _log.Failed, _log.OptimizedPoints);
    }

    // An in-place graph build keeps its segment unfrozen, so the planner names that same job again while it runs.
    private bool IsRunningJob(Job next, OptimizationRecord running) =>
        OptimizerName(next) == running.Optimizer && JobSegments(next).Select(s => s.Id).SequenceEqual(running.Segments.Select(s => s.Id));

    private abstract record Job
    {
        public sealed record Seal : Job;

        public sealed record Index(ShardSegment Segment, string VectorName) : Job;

        public sealed record DropIndex(ShardSegment Segment, string VectorName) : Job;

        public sealed record SparseIndex(ShardSegment Segment, string VectorName) : Job;

        public sealed record Rebuild(IReadOnlyList<ShardSegment> Sources, string Kind) : Job;
    }

    // Caller holds a lock. Decides only; every job it names is one the optimizer can run now.
    private Job? Plan(OptimizerPolicy policy)
    {
        var appendableKb = _appendable.Segment.VectorBytes / 1024;
        if (_appendable.Segment.PointsCount > 0
            && (policy.IndexingThresholdKb > 0 && appendableKb >= policy.IndexingThresholdKb || appendableKb >= policy.MaxSegmentSizeKb))
        {
            return new Job.Seal();
        }

        var sealedSegments = _segments.Where(s => !s.Appendable && !s.Frozen).ToList();

        // A sealed segment with no graph yet is searched exactly, at a cost that grows with its size, so it gets its
        // graph before any merge: merge sources keep their graphs in use until the swap. With merges first, a bulk
        // load left large segments without graphs, scanned by every search, for as long as the merges took.
        // After an interrupted run, merges come first (see _recovering).
        var merge = PlanMerge(sealedSegments, policy, _recovering);
        if (_recovering && merge is not null)
        {
            return merge;
        }

        if (NextGraphJob(sealedSegments, policy, missingOnly: true) is { } missing)
        {
            return missing;
        }

        if (NextSparseIndexJob(sealedSegments, policy, missingOnly: true) is { } missingSparse)
        {
            return missingSparse;
        }

        if (merge is not null)
        {
            return merge;
        }

        if (NextGraphJob(sealedSegments, policy, missingOnly: false) is { } graph)
        {
            return graph;
        }

        if (NextSparseIndexJob(sealedSegments, policy, missingOnly: false) is { } sparse)
        {
            return sparse;
        }

        foreach (var s in sealedSegments)
        {
            var deleted = s.Segment.DeletedCount;
            if (deleted > 0 && deleted >= policy.VacuumMinVectors && deleted >= policy.DeletedThreshold * s.Segment.OffsetCount)
            {
                return new Job.Rebuild([s], "vacuum");
            }

            // Replaced payloads leave their old records in the payload file until the segment is rewritten.
            var garbage = (ulong)s.Segment.PayloadGarbageBytes;
            if (garbage >= PayloadGarbageMinBytes && garbage >= policy.DeletedThreshold * (garbage + (ulong)s.Segment.PayloadLiveBytes))
            {
                return new Job.Rebuild([s], "vacuum");
            }
        }

        // on_disk_payload changed: sealed segments are rewritten in the new placement, as the reference's
        // config-mismatch optimizer does (the appendable segment's successor takes it at the next seal).
        foreach (var s in sealedSegments)
        {
            if (s.Segment.OnDiskPayload != policy.OnDiskPayload)
            {
                return new Job.Rebuild([s], "config_mismatch");
            }
        }

        return null;
    }

    // Merges the smallest sealed segments while there are more than the target number, within the maximum size.
    // With smallFirst, a merge takes only segments of about the size of those before it (each at most the sum of the
    // smaller ones), so it stays short when runs are: the segment count then falls back a little in every run
    // instead of waiting for one large merge that no run lives long enough to finish.
    private static Job.Rebuild? PlanMerge(List<ShardSegment> sealedSegments, OptimizerPolicy policy, bool smallFirst)
    {
        if (sealedSegments.Count > Math.Max(1, policy.TargetSegments))
        {
            var smallest = sealedSegments.OrderBy(s => s.Segment.PointsCount * BytesPerPoint(s.Segment)).ToList();
            var take = sealedSegments.Count - Math.Max(1, policy.TargetSegments) + 1;
            if (smallFirst)
            {
                var similar = 2;
                var sum = LiveKb(smallest.Take(2));
                while (similar < take && LiveKb(smallest.Skip(similar).Take(1)) <= sum)
                {
                    sum += LiveKb(smallest.Skip(similar).Take(1));
                    similar++;
                }

                take = similar;
            }

            while (take > 2 && LiveKb(smallest.Take(take)) > policy.MaxSegmentSizeKb)
            {
                take--;
            }

            if (LiveKb(smallest.Take(take)) <= policy.MaxSegmentSizeKb)
            {
                return new Job.Rebuild(smallest.Take(take).ToList(), "merge");
            }
        }

        return null;
    }

    // A graph to build or drop; with missingOnly, only a build for a vector that has no graph at all.
    private Job? NextGraphJob(List<ShardSegment> sealedSegments, OptimizerPolicy policy, bool missingOnly)
    {
        foreach (var s in sealedSegments)
        {
            foreach (var (name, _) in _vectors.All)
            {
                var indexing = SealedPolicy(policy, name);
                if (!missingOnly && s.Segment.HasUnwantedIndex(name, indexing))
                {
                    return new Job.DropIndex(s, name);
                }

                if (s.Segment.NeedsIndexBuild(name, indexing) && (!missingOnly || s.Segment.GraphParameters(name) is null))
                {
                    return new Job.Index(s, name);
                }
            }
        }

        return null;
    }

    // A sparse index file to build, as for graphs: with missingOnly, only for a vector that has none yet.
    private static Job.SparseIndex? NextSparseIndexJob(List<ShardSegment> sealedSegments, OptimizerPolicy policy, bool missingOnly)
    {
        if (policy.SparseIndexFor is not { } sparseFor)
        {
            return null;
        }

        foreach (var s in sealedSegments)
        {
            foreach (var name in s.Segment.SparseVectorNames)
            {
                if (s.Segment.NeedsSparseIndexBuild(name, SealedSparsePolicy(policy, sparseFor, name)) && (!missingOnly || s.Segment.SparseIndexInfo(name) is null))
                {
                    return new Job.SparseIndex(s, name);
                }
            }
        }

        return null;
    }

    // As SealedPolicy: a sealed segment gets its sparse index files whatever its size, unless indexing is off.
    private static SparseIndexPolicy SealedSparsePolicy(OptimizerPolicy policy, Func<string, SparseIndexPolicy> sparseFor, string vectorName) =>
        sparseFor(vectorName) with { IndexingThresholdKb = policy.IndexingThresholdKb == 0 ? 0UL : 1UL };

    /// <summary>Builds one sparse index file of a sealed segment in place, as <see cref="BuildGraph"/> does a graph.</summary>
    private bool BuildSparseIndex(ShardSegment target, string vectorName, OptimizerPolicy policy, CancellationToken ct)
    {
        SparseIndexBuildJob? job;
        _lock.EnterReadLock();
        try
        {
            job = _disposed || !_segments.Contains(target) || policy.SparseIndexFor is not { } sparseFor
                ? null
                : target.Segment.PrepareSparseIndexBuild(vectorName, SealedSparsePolicy(policy, sparseFor, vectorName));
        }
        finally
        {
            _lock.ExitReadLock();
        }

        if (job is null)
        {
            return false;
        }

        try
        {
            job.Run(ct);
        }
        catch
        {
            lock (_writers)
            {
                _lock.EnterWriteLock();
                try
                {
                    job.Abandon();
                }
                finally
                {
                    _lock.ExitWriteLock();
                }
            }

            if (ct.IsCancellationRequested)
            {
                return false;
            }

            throw;
        }

        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                if (_disposed || !_segments.Contains(target))
                {
                    job.Abandon();
                    return false;
                }

                target.Segment.InstallSparseIndex(job);
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        EngineLog.SparseIndexBuilt(_logger, ShardId, job.VectorName, target.Name, job.Count);
        return true;
    }

    // A merged or vacuumed segment gets its sparse index files before the swap, as it gets its graphs.
    private static void BuildSparseIndexes(PointSegment target, OptimizerPolicy policy, CancellationToken ct)
    {
        if (policy.SparseIndexFor is not { } sparseFor)
        {
            return;
        }

        foreach (var name in target.SparseVectorNames.ToList())
        {
            if (target.PrepareSparseIndexBuild(name, SealedSparsePolicy(policy, sparseFor, name)) is { } job)
            {
                try
                {
                    job.Run(ct);
                }
                catch
                {
                    job.Abandon();
                    throw;
                }

                target.InstallSparseIndex(job);
            }
        }
    }

    private static ulong BytesPerPoint(PointSegment segment) =>
        segment.OffsetCount == 0 ? 0 : segment.VectorBytes / segment.OffsetCount;

    private static ulong LiveKb(IEnumerable<ShardSegment> segments) =>
        segments.Aggregate(0UL, (sum, s) => sum + s.Segment.PointsCount * BytesPerPoint(s.Segment)) / 1024;

    // A sealed segment gets its graphs whatever its size (only an empty or tiny one is left to exact search).
    private static IndexingPolicy SealedPolicy(OptimizerPolicy policy, string vectorName)
    {
        var p = policy.IndexingFor(vectorName);
        return policy.IndexingThresholdKb == 0 ? p with { IndexingThresholdKb = 0 } : p with { IndexingThresholdKb = 1 };
    }

    /// <summary>The appendable segment becomes sealed and an empty one takes new points.</summary>
    private bool Seal(OptimizerPolicy policy)
    {
        lock (_writers)
        {
            if (_disposed || Plan(policy) is not Job.Seal)
            {
                return false;
            }

            // Its files are created before the write lock: no search can reach it until it is in the list.
            var fresh = NewSegment(_appliedVersion);
            SetScanCodes(fresh, policy);
            var old = _appendable;
            _lock.EnterWriteLock();
            try
            {
                old.Appendable = false;
                fresh.Appendable = true;
                _segments.Add(fresh);
                _appendable = fresh;
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            WriteManifest();
            EngineLog.SegmentSealed(_logger, ShardId, old.Name, old.Segment.PointsCount, fresh.Name);
            return true;
        }
    }

    // Caller holds the gate. Same vectors and payload indexes as the shard.
    private ShardSegment NewSegment(ulong version)
    {
        var name = (_nextSegmentId++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = SegmentPath(name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        PointSegment? segment = null;
        try
        {
            segment = PointSegment.Create(path, ToSpecs(_vectors), version, Volatile.Read(ref _onDiskPayload));
            foreach (var (field, info) in _appendable.Segment.FieldIndexes)
            {
                segment.CreateFieldIndex(field, info.Type, _appendable.Segment.TextIndexParams(field), _appendable.Segment.IndexParams(field));
            }
        }
        catch (IOException)
        {
            // A full disk: no half-made segment is left taking space until the next restart.
            segment?.Dispose();
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            throw;
        }

        return new ShardSegment(name, segment, appendable: false, cleanThrough: 0) { Dirty = segment.FieldIndexes.Count > 0 };
    }

    /// <summary>Builds one graph of a sealed segment in place: its vectors are never rewritten, so no copy is needed.</summary>
    private bool BuildGraph(ShardSegment target, string vectorName, OptimizerPolicy policy, int threads, CancellationToken ct)
    {
        IndexBuildJob? job;
        _lock.EnterReadLock();
        try
        {
            job = _disposed || !_segments.Contains(target) ? null : target.Segment.PrepareIndexBuild(vectorName, SealedPolicy(policy, vectorName));
        }
        finally
        {
            _lock.ExitReadLock();
        }

        if (job is null)
        {
            return false;
        }

        try
        {
            job.Run(threads, ct);
        }
        catch (OperationCanceledException)
        {
            job.Abandon();
            return false;
        }

        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                if (_disposed || !_segments.Contains(target))
                {
                    job.Abandon();
                    return false;
                }

                target.Segment.InstallIndex(job);
                target.Dirty = true; // its stale set restarts with the new graph
                Interlocked.Increment(ref _graphsBuilt);
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        EngineLog.GraphBuilt(_logger, ShardId, job.VectorName, job.Count);
        return true;
    }

    /// <summary>Deletes a graph the config turned off (m 0): from the next search on, that vector is searched exactly.</summary>
    private bool DropGraph(ShardSegment target, string vectorName, OptimizerPolicy policy)
    {
        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                if (_disposed || !_segments.Contains(target) || !target.Segment.HasUnwantedIndex(vectorName, SealedPolicy(policy, vectorName)))
                {
                    return false;
                }

                target.Segment.DropIndex(vectorName, SealedPolicy(policy, vectorName));
                target.Dirty = true; // its saved stale set belonged to the dropped graph
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }

        EngineLog.IndexDropped(_logger, ShardId, vectorName, target.Name);
        return true;
    }

    /// <summary>Merge or vacuum: the live points of <paramref name="sources"/> into one new indexed segment.</summary>
    private bool Rebuild(IReadOnlyList<ShardSegment> sources, string kind, OptimizerPolicy policy, int threads, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        ShardSegment target;
        int schema;
        lock (_writers)
        {
            schema = _schemaChanges;
            if (_disposed || sources.Any(s => s.Frozen || s.Appendable || !_segments.Contains(s)))
            {
                return false;
            }

            SetFrozen(sources, true);
            target = NewSegment(0);
        }

        var swapped = false;
        try
        {
            if (target.Segment.LayoutFields() is { Count: > 0 } layout)
            {
                CopyLaidOut(sources, target.Segment, layout, schema, ct);
            }
            else
            {
                foreach (var source in sources)
                {
                    CopyLivePoints(source, target.Segment, schema, ct);
                }
            }

            foreach (var (name, _) in _vectors.All)
            {
                if (!_recovering && target.Segment.PrepareIndexBuild(name, SealedPolicy(policy, name)) is { } job)
                {
                    try
                    {
                        job.Run(threads, ct);
                    }
                    catch
                    {
                        job.Abandon();
                        throw;
                    }

                    target.Segment.InstallIndex(job);
                }
            }

            if (!_recovering)
            {
                BuildSparseIndexes(target.Segment, policy, ct);
            }

            // The bulk of the new segment, its vectors, is synced here with no lock held; the swap then only writes
            // its state: searches would otherwise wait for the fsync of a whole segment's vectors.
            target.Segment.SyncVectors();
            BeforeSwapForTests?.Invoke();
            swapped = Swap(sources, target, schema);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (!swapped)
            {
                Discard(sources, target);
            }
        }

        if (swapped)
        {
            EngineLog.SegmentsRebuilt(_logger, ShardId, kind, string.Join(", ", sources.Select(s => s.Name)), target.Name, target.Segment.PointsCount, watch.Elapsed.TotalSeconds);
        }

        return swapped;
    }

    /// <summary>
    /// Copies the sources' live points ordered by their layout key over the tenant and principal fields, so each
    /// tenant's points are stored together in the new segment, as the reference's optimizer lays them out. The
    /// frozen sources only lose points meanwhile (a point gone by its turn is skipped; the swap replays deletes).
    /// </summary>
    private void CopyLaidOut(IReadOnlyList<ShardSegment> sources, PointSegment target, IReadOnlyList<string> fields, int schema, CancellationToken ct)
    {
        var order = new List<(ulong Key, int Source, int Position, PointId Id)>();
        var keys = new List<(ulong Key, PointId Id)>();
        for (var i = 0; i < sources.Count; i++)
        {
            keys.Clear();
            _lock.EnterReadLock();
            try
            {
                sources[i].Segment.AddLayoutKeys(fields, keys);
            }
            finally
            {
                _lock.ExitReadLock();
            }

            foreach (var (key, id) in keys)
            {
                order.Add((key, i, order.Count, id));
            }
        }

        // The position breaks ties, so the order is the same however the sort runs.
        order.Sort(static (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Position.CompareTo(b.Position));
        for (var start = 0; start < order.Count; start += CopyBatch)
        {
            ct.ThrowIfCancellationRequested();
            _lock.EnterReadLock();
            try
            {
                if (_disposed || _schemaChanges != schema)
                {
                    throw new OperationCanceledException();
                }

                for (var i = start; i < Math.Min(order.Count, start + CopyBatch); i++)
                {
                    target.CopyPointFrom(sources[order[i].Source].Segment, order[i].Id);
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    // Batches under the read lock: a batch sees one consistent state; deletes between batches are replayed at the swap.
    private void CopyLivePoints(ShardSegment source, PointSegment target, int schema, CancellationToken ct)
    {
        PointId? from = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            _lock.EnterReadLock();
            try
            {
                // A vector name added or removed meanwhile: the new segment has the old vectors (given up, planned again).
                if (_disposed || _schemaChanges != schema)
                {
                    throw new OperationCanceledException();
                }

                var ids = source.Segment.Scroll(null, from, CopyBatch + 1);
                var copied = 0;
                foreach (var id in ids)
                {
                    if (from is { } previous && id == previous)
                    {
                        continue;
                    }

                    target.CopyPointFrom(source.Segment, id);
                    copied++;
                    from = id;
                }

                if (copied == 0 || ids.Count <= CopyBatch)
                {
                    return;
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Writers wait at the gate through the swap (the sources' deletes and the applied version keep still), searches
    /// go on until the one moment the segment list changes. Only the new segment is flushed: the others keep their
    /// persisted versions and the WAL everything after the oldest of them, so a replay after a crash still re-applies
    /// in order whatever a segment had not persisted (per-point versions skip the rest).
    /// </summary>
    private bool Swap(IReadOnlyList<ShardSegment> sources, ShardSegment target, int schema)
    {
        var swapped = false;
        lock (_writers)
        {
            if (_disposed || _schemaChanges != schema)
            {
                return false;
            }

            // The new segment is not in the list yet, so no search reads it while the deletes land.
            foreach (var s in sources)
            {
                foreach (var (id, version) in s.FrozenDeletes!)
                {
                    target.Segment.Delete(version, id);
                }
            }

            SyncFieldIndexes(target.Segment);
            target.Segment.Flush(_appliedVersion);
            target.Dirty = false;
            WritersHeldForTests?.Invoke();

            // Durable before the manifest names it; a crash before the manifest leaves a directory removed at the next open.
            var next = new List<ShardSegment>(_segments);
            next.Insert(next.IndexOf(sources[0]), target);
            next.RemoveAll(sources.Contains);
            WriteManifest(next);

            _lock.EnterWriteLock();
            try
            {
                _segments.Clear();
                _segments.AddRange(next);
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            swapped = true;
        }

        // Retired with no lock held: no search can reach the sources any more (those that started before the swap
        // have finished), and a flush that still holds one finds it closed and skips it.
        if (swapped)
        {
            foreach (var s in sources)
            {
                s.Segment.Dispose();
                try
                {
                    Directory.Delete(SegmentPath(s.Name), recursive: true);
                }
                catch (IOException)
                {
                    // The manifest no longer names it: removed as a leftover at the next open.
                }
            }
        }

        return swapped;
    }

    // Caller holds the gate; the optimizer's planning reads the flag under the read lock.
    private void SetFrozen(IReadOnlyList<ShardSegment> sources, bool frozen)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var s in sources)
            {
                if (frozen)
                {
                    s.Freeze();
                }
                else
                {
                    s.Thaw();
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void SyncFieldIndexes(PointSegment target)
    {
        var wanted = _appendable.Segment.FieldIndexes;
        foreach (var (field, _) in target.FieldIndexes)
        {
            if (!wanted.ContainsKey(field))
            {
                target.DeleteFieldIndex(field);
            }
        }

        foreach (var (field, info) in wanted)
        {
            target.CreateFieldIndex(field, info.Type, _appendable.Segment.TextIndexParams(field), _appendable.Segment.IndexParams(field));
        }
    }

    private void Discard(IReadOnlyList<ShardSegment> sources, ShardSegment target)
    {
        lock (_writers)
        {
            SetFrozen(sources, false);
        }

        target.Segment.Dispose();
        try
        {
            Directory.Delete(SegmentPath(target.Name), recursive: true);
        }
        catch (IOException)
        {
            // Removed as a leftover at the next open.
        }
    }
}
