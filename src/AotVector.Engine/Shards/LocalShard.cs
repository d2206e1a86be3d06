using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Segment;
using AotVector.Storage.WriteAheadLog;
using Microsoft.Extensions.Logging;

namespace AotVector.Engine.Shards;

/// <summary>
/// A shard on this machine: a WAL and the segments it feeds (one appendable, any number sealed; see
/// <see cref="ShardSegment"/> and <see cref="SegmentManifest"/>).
/// Update sequence: under the writer gate, resolve the operation (filters become id lists; points about to be
/// edited inside a segment being rebuilt are first moved out by an explicit upsert) and append it to the WAL; under
/// the write lock, apply it with version = WAL sequence number; then, outside both, fsync the WAL when the caller
/// waits (concurrent waiters share one fsync). On open, each segment loads its persisted state and the WAL entries
/// after the oldest segment's version are replayed; per-point versions make the replay idempotent.
/// </summary>
internal sealed partial class LocalShard : IShard
{
    private const string SegmentsDirectory = "segments";
    private const int ApplyChunk = 128;
    private static readonly TimeSpan ReplayProgressInterval = TimeSpan.FromSeconds(2);

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    // Taken by everything that changes the shard (updates, seals, swaps, index installs, close) and by flushes, before
    // _lock. Its holder reads the segments with no lock, as only holders change them, and takes the write lock just
    // for the change itself. A writer queued here does not hold up searches, as one queued on the write lock would:
    // ReaderWriterLockSlim makes new readers wait behind a waiting writer.
    private readonly Lock _writers = new();
    private readonly string _directory;
    private readonly Wal _wal;
    private readonly List<ShardSegment> _segments;
    private VectorsConfig _vectors;
    private readonly ILogger _logger;
    private ShardSegment _appendable;
    private uint _nextSegmentId;
    private ulong _appliedVersion;
    private int _queuedUpsertPoints;

    // The collection's on_disk_payload as last seen: the placement of segments created from now on.
    private bool _onDiskPayload;
    private bool _disposed;

    private LocalShard(uint shardId, string directory, Wal wal, List<ShardSegment> segments, uint nextSegmentId, VectorsConfig vectors, ILogger logger)
    {
        ShardId = shardId;
        _directory = directory;
        _wal = wal;
        _segments = segments;
        _appendable = segments.Single(s => s.Appendable);
        _nextSegmentId = nextSegmentId;
        _vectors = vectors;
        _logger = logger;
        _appliedVersion = segments.Max(s => s.PersistedVersion);
    }

    public uint ShardId { get; }

    /// <summary>Bytes of vector and of payload storage over this shard's segments (strict mode's size limits).</summary>
    internal (ulong VectorBytes, ulong PayloadBytes) StorageSizes(bool payloads = true)
    {
        _lock.EnterReadLock();
        try
        {
            ulong vectors = 0, payloadBytes = 0;
            foreach (var s in _segments)
            {
                vectors += s.Segment.VectorBytes;
                payloadBytes += payloads ? s.Segment.PayloadBytes : 0;
            }

            return (vectors, payloadBytes);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public ulong PointsCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                ulong total = 0;
                foreach (var s in _segments)
                {
                    total += s.Segment.PointsCount;
                }

                return total;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public ulong SegmentsCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return (ulong)_segments.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public static LocalShard Create(string directory, uint shardId, VectorsConfig vectors, WalConfig walConfig, ILogger logger, bool onDiskPayload = false)
    {
        Directory.CreateDirectory(directory);
        var manifest = OpenManifest(directory, ToSpecs(vectors), onDiskPayload);
        var segments = new List<ShardSegment>(manifest.Segments.Count);
        try
        {
            foreach (var entry in manifest.Segments)
            {
                var segment = PointSegment.Open(Path.Combine(directory, SegmentsDirectory, entry.Name));
                segments.Add(new ShardSegment(entry.Name, segment, entry.Appendable, entry.CleanThrough));
                foreach (var (vector, problem) in segment.SparseIndexProblems)
                {
                    EngineLog.SparseIndexNotReopened(logger, shardId, vector, entry.Name, problem);
                }
            }
        }
        catch
        {
            foreach (var s in segments)
            {
                s.Segment.Dispose();
            }

            throw;
        }

        var interrupted = RemoveLeftovers(directory, manifest, logger);

        // An emptied WAL must continue numbering after the newest segment's version, or new writes would look stale.
        var wal = OpenWal(Path.Combine(directory, "wal"), walConfig, segments.Max(s => s.PersistedVersion) + 1);
        // Optimizations cut short by the end of the last run (a leftover merge, a sealed segment still without its
        // graphs): see _recovering.
        interrupted |= segments.Any(s => !s.Appendable && s.Segment.PointsCount > 0 && vectors.All.Any(v => s.Segment.GraphParameters(v.Key) is null));
        var shard = new LocalShard(shardId, directory, wal, segments, manifest.NextId, vectors, logger) { _recovering = interrupted, _onDiskPayload = onDiskPayload };
        try
        {
            shard.Replay();

            // What was replayed is persisted and the WAL trimmed at once: a server killed again before its first
            // periodic flush would otherwise replay the same entries, and more each time, on every boot.
            shard.Flush();
        }
        catch
        {
            shard.Close(persist: false);
            throw;
        }

        return shard;
    }

    // Reads the manifest; a shard from before manifests (one "segment" directory) or a brand-new one gets one.
    private static SegmentManifest OpenManifest(string directory, Dictionary<string, VectorSpec> specs, bool onDiskPayload)
    {
        var path = Path.Combine(directory, SegmentManifest.FileName);
        if (File.Exists(path))
        {
            return SegmentManifest.Read(path);
        }

        var segmentsDir = Path.Combine(directory, SegmentsDirectory);
        var first = Path.Combine(segmentsDir, "0");
        Directory.CreateDirectory(segmentsDir);
        var legacy = Path.Combine(directory, "segment");
        if (Directory.Exists(legacy) && File.Exists(Path.Combine(legacy, PointSegment.StateFileName)) && !Directory.Exists(first))
        {
            Directory.Move(legacy, first);
        }

        if (!File.Exists(Path.Combine(first, PointSegment.StateFileName)))
        {
            PointSegment.Create(first, specs, onDiskPayload: onDiskPayload).Dispose();
        }

        var manifest = new SegmentManifest(1, [new SegmentManifest.Entry("0", true, 0)]);
        manifest.Write(path);
        return manifest;
    }

    // Directories of a seal, merge or vacuum that crashed before its manifest was written; true when there were any.
    private static bool RemoveLeftovers(string directory, SegmentManifest manifest, ILogger logger)
    {
        var listed = manifest.Segments.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var removed = false;
        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(directory, SegmentsDirectory)))
        {
            if (!listed.Contains(Path.GetFileName(dir)))
            {
                EngineLog.SegmentLeftoverRemoved(logger, dir);
                Directory.Delete(dir, recursive: true);
                removed = true;
            }
        }

        return removed;
    }

    /// <summary>
    /// The WAL settings take any u64, as Qdrant's do; values past what the WAL's long and int hold are capped there
    /// (a segment that never fills, every closed segment kept) rather than wrapping to a size or count the WAL refuses.
    /// </summary>
    private static Wal OpenWal(string directory, WalConfig config, ulong initialSequence)
    {
        const long MiB = 1024 * 1024;
        var options = new WalOptions
        {
            SegmentCapacityBytes = (long)Math.Min(config.WalCapacityMb, long.MaxValue / MiB) * MiB,
            RetainClosedSegments = (int)Math.Min(config.WalRetainClosed, int.MaxValue),
            InitialSequence = initialSequence,
        };
        var opened = Wal.Open(directory, options);
        if (!opened.TryGet(out var wal, out var error))
        {
            throw new InvalidDataException("Cannot open WAL at " + directory + ": " + error.Message);
        }

        return wal;
    }

    private static Dictionary<string, VectorSpec> ToSpecs(VectorsConfig vectors)
    {
        var specs = new Dictionary<string, VectorSpec>(StringComparer.Ordinal);
        foreach (var (name, p) in vectors.All)
        {
            specs[name] = new VectorSpec((int)p.Size, p.Distance, Multi: p.MultivectorConfig is not null, p.StoredAs);
        }

        return specs;
    }

    /// <summary>
    /// Re-applies WAL entries the oldest segment had not persisted. A corrupt entry is skipped. A long replay
    /// reports its progress now and then, so an operator watching a slow boot sees it advance.
    /// </summary>
    private void Replay()
    {
        var from = _segments.Min(s => s.PersistedVersion) + 1;
        var total = _wal.LastSequence >= from ? _wal.LastSequence - from + 1 : 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        var replayed = 0;
        _replaying = true;
        try
        {
            ReplayFrom(from, total, watch, ref reported, ref replayed);
        }
        finally
        {
            _replaying = false;
        }

        if (replayed > 0)
        {
            EngineLog.WalReplayed(_logger, ShardId, replayed, watch.Elapsed.TotalSeconds);
        }
    }

    private void ReplayFrom(ulong from, ulong total, System.Diagnostics.Stopwatch watch, ref TimeSpan reported, ref int replayed)
    {
        foreach (var (seq, payload) in _wal.ReadFrom(from))
        {
            UpdateOperation op;
            try
            {
                op = OperationCodec.Decode(payload.Span);
            }
            catch (InvalidDataException e)
            {
                EngineLog.WalEntrySkipped(_logger, seq, e.Message);
                continue;
            }

            ApplyResolved(op, seq);
            _appliedVersion = Math.Max(_appliedVersion, seq);
            replayed++;
            if (watch.Elapsed - reported >= ReplayProgressInterval)
            {
                reported = watch.Elapsed;
                EngineLog.WalReplayProgress(_logger, ShardId, seq - from + 1, total);
            }
        }
    }

    public Result<UpdateResult> Update(UpdateOperation operation, bool wait)
    {
        // A plain upsert's slow parts run before the writer gate: its WAL entry is encoded (Resolve hands such an
        // upsert back as it is) and the appendable segment's pages for it are faulted in: for every upsert queued at
        // the gate, as concurrent uploads land one after another.
        if (operation is not UpsertPoints { UpdateFilter: null, Mode: UpdateMode.Upsert } upsert)
        {
            return Commit(operation, null, wait);
        }

        var encoded = OperationCodec.Encode(upsert);
        PrefaultAppendable(Interlocked.Add(ref _queuedUpsertPoints, upsert.Points.Count));
        try
        {
            return Commit(operation, encoded, wait);
        }
        finally
        {
            Interlocked.Add(ref _queuedUpsertPoints, -upsert.Points.Count);
        }
    }

    private Result<UpdateResult> Commit(UpdateOperation operation, byte[]? encoded, bool wait)
    {
        // Under the gate alone no other writer runs, so the operation is resolved and logged while searches go on;
        // the write lock covers only applying it.
        ulong seq = 0;
        lock (_writers)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var resolved = Resolve(operation);
            if (!resolved.TryGet(out var ops, out var error))
            {
                return error;
            }

            if (ReserveAppendable(ops) is { } full)
            {
                return full;
            }

            var appended = 0;
            AvError? failure = null;
            foreach (var op in ops)
            {
                var entry = ReferenceEquals(op, operation) && encoded is not null ? encoded : OperationCodec.Encode(op);
                try
                {
                    seq = _wal.Append(entry);
                    appended++;
                }
                catch (IOException e)
                {
                    // This entry is not logged and not applied (a move logged before it changes no point's content,
                    // and is applied below as a replay would): the client may retry.
                    failure = IsDiskFull(e) ? AvError.InsufficientStorage(DiskFullDetail(e)) : AvError.Internal("WAL append failed: " + e.Message);
                    break;
                }
            }

            if (appended > 0)
            {
                ApplyLogged(ops, appended, seq);
            }

            if (failure is { } failed)
            {
                return failed;
            }

            // Under the gate, so a transfer's batch is read either before this write or after it was forwarded.
            _forward?.Forward(operation, wait);
        }

        if (wait)
        {
            try
            {
                _wal.FlushUpTo(seq);
            }
            catch (IOException e)
            {
                return IsDiskFull(e) ? AvError.InsufficientStorage(DiskFullDetail(e)) : AvError.Internal("WAL flush failed: " + e.Message);
            }
        }

        return new UpdateResult(seq, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);
    }

    /// <summary>Runs after each chunk of an upsert is applied, with no lock held (tests search there).</summary>
    internal Action? BetweenApplyChunksForTests { get; set; }

    // Caller holds the gate; the first `count` operations were logged with consecutive sequence numbers up to `last`.
    // A large upsert is applied in chunks, with searches let in between: on busy cores a thread holding the write
    // lock for a whole large batch is often preempted inside it, and every search waits. A search may then see part
    // of a batch, as in Qdrant.
    private void ApplyLogged(List<UpdateOperation> ops, int count, ulong last)
    {
        for (var i = 0; i < count; i++)
        {
            var version = last - (ulong)(count - 1 - i);
            if (ops[i] is UpsertPoints upsert)
            {
                for (var start = 0; start < upsert.Points.Count; start += ApplyChunk)
                {
                    _lock.EnterWriteLock();
                    try
                    {
                        for (var p = start; p < Math.Min(start + ApplyChunk, upsert.Points.Count); p++)
                        {
                            UpsertOne(version, upsert.Points[p]);
                        }
                    }
                    finally
                    {
                        _lock.ExitWriteLock();
                    }

                    BetweenApplyChunksForTests?.Invoke();
                }
            }
            else
            {
                _lock.EnterWriteLock();
                try
                {
                    ApplyResolved(ops[i], version);
                }
                finally
                {
                    _lock.ExitWriteLock();
                }
            }
        }

        _appliedVersion = last;
    }

    // Best effort with no lock: the segment read may be sealed meanwhile (its file just grows a little) or closed.
    private void PrefaultAppendable(int points)
    {
        try
        {
            Volatile.Read(ref _appendable).Segment.PrefaultAppend(points);
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or InvalidOperationException)
        {
            // InvalidOperationException: a vector name operation changed the segment's vectors meanwhile.
        }
    }

    // Caller holds the gate. Room in the appendable segment's files for every point the operations upsert, taken
    // before they are logged: once in the WAL an operation must apply, and a full disk half-way through it would
    // leave the segments behind the log.
    private AvError? ReserveAppendable(List<UpdateOperation> ops)
    {
        var points = 0;
        foreach (var op in ops)
        {
            points += op switch
            {
                UpsertPoints upsert => upsert.Points.Count,
                UpdateVectors update => update.Points.Count,
                _ => 0,
            };
        }

        try
        {
            _appendable.Segment.ReserveAppend(points);
            return null;
        }
        catch (IOException e)
        {
            return IsDiskFull(e) ? AvError.InsufficientStorage(DiskFullDetail(e)) : AvError.Internal("cannot grow the segment's files: " + e.Message);
        }
    }

    // The OS message without its own "No space left on device" (the error adds that once), so the path stays.
    internal static string DiskFullDetail(IOException e)
    {
        var detail = e.Message.StartsWith("No space left on device", StringComparison.OrdinalIgnoreCase) ? e.Message["No space left on device".Length..].TrimStart(' ', ':') : e.Message;
        return detail.Length > 0 ? detail : e.Message;
    }

    internal static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) == 28 || e.Message.Contains("No space", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Makes every segment durable at the applied version and trims the WAL. The bulk (vector pages, the WAL) is
    /// synced first under no lock, as it can take a good part of a second on a busy segment; then writers wait at
    /// the gate while changed segments append their changes to their delta files (a few milliseconds) or, now and
    /// then, rewrite their state file, and searches go on.
    /// </summary>
    public void Flush()
    {
        SyncBulk();
        lock (_writers)
        {
            if (_disposed || _segments.All(s => s.PersistedVersion == _appliedVersion))
            {
                return;
            }

            FlushAllLocked();

            // A snapshot capture copies the entries after its flush point from the WAL: they stay until it ends.
            if (Volatile.Read(ref _capturing) == 0)
            {
                _wal.TruncateBefore(_appliedVersion + 1);
            }

            WritersHeldForTests?.Invoke();
        }
    }

    private void SyncBulk()
    {
        ShardSegment[] segments;
        ulong applied;
        _lock.EnterReadLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            segments = [.. _segments];
            applied = _appliedVersion;
        }
        finally
        {
            _lock.ExitReadLock();
        }

        try
        {
            _wal.FlushUpTo(applied);
            foreach (var s in segments)
            {
                s.Segment.SyncVectors();
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // A swap retired a segment, a vector name operation changed a segment's vectors, or the shard closed,
            // meanwhile: the locked flush decides what is kept.
        }
    }

    // Caller holds the gate (no writer runs). Changed segments rewrite their state;
    // unchanged ones are marked clean in the manifest.
    private void FlushAllLocked()
    {
        _wal.FlushUpTo(_appliedVersion);
        foreach (var s in _segments)
        {
            if (s.Dirty)
            {
                s.Segment.Flush(_appliedVersion);
                s.Dirty = false;
            }
        }

        foreach (var s in _segments)
        {
            s.CleanThrough = _appliedVersion;
        }

        WriteManifest();
    }

    private void WriteManifest() => WriteManifest(_segments);

    private void WriteManifest(IReadOnlyList<ShardSegment> segments) =>
        new SegmentManifest(_nextSegmentId, [.. segments.Select(s => new SegmentManifest.Entry(s.Name, s.Appendable, s.CleanThrough))])
            .Write(Path.Combine(_directory, SegmentManifest.FileName));

    private string SegmentPath(string name) => Path.Combine(_directory, SegmentsDirectory, name);

    /// <summary>Closes files without persisting segment state, as a crash would (tests only).</summary>
    internal void Abandon() => Close(persist: false);

    public void Dispose() => Close(persist: true);

    private void Close(bool persist)
    {
        StopOptimizing();
        lock (_writers)
        {
            _lock.EnterWriteLock();
            try
            {
                if (_disposed)
                {
                    return;
                }

                try
                {
                    if (persist && _segments.Any(s => s.PersistedVersion != _appliedVersion))
                    {
                        FlushAllLocked();
                    }
                }
                finally
                {
                    _disposed = true;
                    foreach (var s in _segments)
                    {
                        s.Segment.Dispose();
                    }

                    _wal.Dispose();
                }
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }
}
