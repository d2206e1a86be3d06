using AotVector.Common.Errors;
using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Segment;
using AotVector.Storage.WriteAheadLog;
using Microsoft.Extensions.Logging;

namespace AotVector.Engine.Shards;

/// <summary>
/// A shard on this machine: a WAL and the segment it feeds.
/// Update sequence: under the write lock, resolve the operation (filters become id lists),
/// append it to the WAL, apply it with version = WAL sequence number; then, outside the lock,
/// fsync the WAL when the caller waits (concurrent waiters share one fsync). On open, the
/// segment's persisted state is loaded and WAL entries after its version are replayed.
/// </summary>
internal sealed partial class LocalShard : IShard
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Wal _wal;
    private readonly PointSegment _segment;
    private readonly VectorsConfig _vectors;
    private readonly ILogger _logger;
    private ulong _appliedVersion;
    private bool _disposed;

    private LocalShard(uint shardId, Wal wal, PointSegment segment, VectorsConfig vectors, ILogger logger)
    {
        ShardId = shardId;
        _wal = wal;
        _segment = segment;
        _vectors = vectors;
        _logger = logger;
        _appliedVersion = segment.PersistedVersion;
    }

    public uint ShardId { get; }

    public ulong PointsCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _segment.PointsCount;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public static LocalShard Create(string directory, uint shardId, VectorsConfig vectors, WalConfig walConfig, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var segmentDir = Path.Combine(directory, "segment");
        var segment = Directory.Exists(segmentDir) && File.Exists(Path.Combine(segmentDir, PointSegment.StateFileName))
            ? PointSegment.Open(segmentDir)
            : PointSegment.Create(segmentDir, ToSpecs(vectors));
        // An emptied WAL must continue numbering after the segment's version, or new writes would look stale.
        var wal = OpenWal(Path.Combine(directory, "wal"), walConfig, segment.PersistedVersion + 1);
        var shard = new LocalShard(shardId, wal, segment, vectors, logger);
        shard.Replay();
        return shard;
    }

    private static Wal OpenWal(string directory, WalConfig config, ulong initialSequence)
    {
        var opened = Wal.Open(directory, new WalOptions { SegmentCapacityBytes = (long)config.WalCapacityMb * 1024 * 1024, RetainClosedSegments = (int)config.WalRetainClosed, InitialSequence = initialSequence });
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
            specs[name] = new VectorSpec((int)p.Size, p.Distance);
        }

        return specs;
    }

    /// <summary>Re-applies WAL entries the segment had not persisted. A corrupt entry stops replay there.</summary>
    private void Replay()
    {
        var replayed = 0;
        foreach (var (seq, payload) in _wal.ReadFrom(_segment.PersistedVersion + 1))
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
            _appliedVersion = seq;
            replayed++;
        }

        if (replayed > 0)
        {
            EngineLog.WalReplayed(_logger, ShardId, replayed);
        }
    }

    public Result<UpdateResult> Update(UpdateOperation operation, bool wait)
    {
        ulong seq;
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var resolved = Resolve(operation);
            if (!resolved.TryGet(out var op, out var error))
            {
                return error;
            }

            byte[] entry = OperationCodec.Encode(op);
            try
            {
                seq = _wal.Append(entry);
            }
            catch (IOException e)
            {
                // Nothing was applied: the store is unchanged and the client may retry.
                return IsDiskFull(e) ? AvError.InsufficientStorage(e.Message) : AvError.Internal("WAL append failed: " + e.Message);
            }

            ApplyResolved(op, seq);
            _appliedVersion = seq;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        if (wait)
        {
            try
            {
                _wal.FlushUpTo(seq);
            }
            catch (IOException e)
            {
                return IsDiskFull(e) ? AvError.InsufficientStorage(e.Message) : AvError.Internal("WAL flush failed: " + e.Message);
            }
        }

        return new UpdateResult(seq, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);
    }

    private static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) == 28 || e.Message.Contains("No space", StringComparison.OrdinalIgnoreCase);

    public void Flush()
    {
        _lock.EnterWriteLock();
        try
        {
            if (_disposed || _segment.PersistedVersion == _appliedVersion)
            {
                return;
            }

            _wal.FlushUpTo(_appliedVersion);
            _segment.Flush(_appliedVersion);
            _wal.TruncateBefore(_appliedVersion + 1);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Closes files without persisting segment state, as a crash would (tests only).</summary>
    internal void Abandon()
    {
        StopOptimizing();
        _lock.EnterWriteLock();
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                _segment.Dispose();
                _wal.Dispose();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Dispose()
    {
        StopOptimizing();
        _lock.EnterWriteLock();
        try
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                if (_segment.PersistedVersion != _appliedVersion)
                {
                    _wal.FlushUpTo(_appliedVersion);
                    _segment.Flush(_appliedVersion);
                }
            }
            finally
            {
                _disposed = true;
                _segment.Dispose();
                _wal.Dispose();
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }
}
