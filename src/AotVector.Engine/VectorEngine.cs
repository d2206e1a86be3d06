using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Engine.Catalog;
using AotVector.Engine.Collections;
using AotVector.Engine.Operations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine;

/// <summary>
/// The engine's front door: implements the collection and point APIs that REST and gRPC both
/// call. Access is checked here; expected failures are values; an unexpected exception is
/// caught once at this boundary and becomes an Internal error instead of a crashed request.
/// </summary>
public sealed partial class VectorEngine : ICollectionsApi, IPointsApi, IStorageStatus, ILocalShards, IDisposable
{
    private readonly TableOfContents _toc;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _flusher;
    private readonly Thread _optimizer;
    private readonly UpdateWorkers _updates = new(Math.Max(2, Environment.ProcessorCount));

    // Writes other peers coordinate run on workers of their own: a client's write here may hold every update worker
    // while it waits on other peers, and theirs on us; a peer's write never waits on anything but this disk.
    private readonly Lazy<UpdateWorkers> _peerUpdates = new(() => new UpdateWorkers(2));

    // Writes another peer forwards here to coordinate (ordering medium/strong) wait on the replicas' peer workers only;
    // on the client workers they would wait behind client writes that wait on that peer's coordination: a cycle.
    private readonly Lazy<UpdateWorkers> _coordinations = new(() => new UpdateWorkers(2));
    private readonly FileStream _storageLock;
    private readonly TimeProvider _time;
    private readonly FreeSpaceFloor _space;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _loader;
    private int _disposed;

    private VectorEngine(TableOfContents toc, EngineOptions options, ILogger logger, FileStream storageLock, TimeProvider time)
    {
        _storageLock = storageLock;
        _toc = toc;
        _options = options;
        _logger = logger;
        _time = time;
        _space = new FreeSpaceFloor(options.StoragePath, options.MinFreeSpaceMb);
        _flusher = StartLoop("aotvector flusher", FlushLoop);
        _optimizer = StartLoop("aotvector optimizer", OptimizeLoop);
    }

    /// <summary>
    /// Background work gets threads of its own. On the thread pool an optimization (seconds of graph building) and a
    /// flush (fsyncs) each held a pool thread, and with 2 cores the pool has 2: the requests' own pool work, such
    /// as writing HTTP/2 answers, then waited for the pool to add a thread, which it does about twice a second.
    /// </summary>
    private Thread StartLoop(string name, Action<CancellationToken> loop)
    {
        var thread = new Thread(() => loop(_stopping.Token)) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    /// <summary>
    /// Opens (or creates) the storage directory and loads every collection, replaying WALs. <paramref name="time"/>
    /// is the clock of the background loops and of request timeouts (tests pass one they advance themselves).
    /// </summary>
    public static VectorEngine Open(EngineOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("AotVector.Engine");
        Directory.CreateDirectory(options.StoragePath);
        var storageLock = LockStorage(options.StoragePath);
        try
        {
            var snapshots = PrepareSnapshots(options);
            var toc = TableOfContents.Open(options.StoragePath, logger, options.Clustered);
            var engine = new VectorEngine(toc, options, logger, storageLock, time ?? TimeProvider.System) { _snapshotStore = snapshots };
            if (options.LoadInBackground)
            {
                engine._loader = engine.StartLoop("aotvector loader", engine.LoadCollections);
            }
            else
            {
                engine.LoadCollections(CancellationToken.None);
            }

            return engine;
        }
        catch
        {
            storageLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Two servers on one storage directory would interleave WAL writes and corrupt both; an
    /// exclusive lock on a marker file (flock on Unix) makes the second one fail at startup.
    /// </summary>
    private static FileStream LockStorage(string storagePath)
    {
        var path = Path.Combine(storagePath, ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"storage directory {storagePath} is in use by another process ({e.Message})", e);
        }
    }

    // Loads the stored collections (replaying their WALs); a failure here would end the process on the loader thread.
    private void LoadCollections(CancellationToken ct)
    {
        try
        {
            _toc.LoadPending(ct);
            NoteBrokenCollections();
        }
        finally
        {
            _loaded.TrySetResult();
        }
    }

    /// <summary>Completes once every stored collection is loaded or reported broken (or the engine stopped first).</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>Whether every collection is loaded or reported broken, and the engine is not stopping (for /readyz).</summary>
    public bool IsReady => Volatile.Read(ref _disposed) == 0 && _toc.Status.Loaded;

    /// <summary>Loading progress and the collections that could not be loaded (each answered 503 with its reason).</summary>
    public StorageStatus Status => _toc.Status;

    public int CollectionCount => _toc.Collections.Count;

    public ulong TotalPoints => (ulong)_toc.Collections.Sum(c => (long)c.LocalPointsCount);

    /// <summary>Persists segment state of every collection now (shutdown, tests).</summary>
    public void FlushAll() => _toc.FlushAll();

    /// <summary>
    /// Waits one tick of a background loop (a second on the engine's clock); false once the engine is stopping.
    /// A cancelled wait just ends: the continuation swallows the cancellation instead of throwing it here.
    /// </summary>
    private bool NextTick(CancellationToken ct)
    {
        Task.Delay(TimeSpan.FromSeconds(1), _time, ct)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
            .Wait(CancellationToken.None);
        return !ct.IsCancellationRequested;
    }

    /// <summary>
    /// flush_interval_sec as a TimeSpan, at least a second. The setting takes any u64, as Qdrant's does; past what a
    /// TimeSpan holds (some 29,000 years) it means never, where TimeSpan.FromSeconds would throw on this thread and
    /// end the process.
    /// </summary>
    internal static TimeSpan FlushInterval(ulong seconds) =>
        seconds >= long.MaxValue / TimeSpan.TicksPerSecond ? TimeSpan.MaxValue : TimeSpan.FromSeconds(Math.Max(1, seconds));

    private void FlushLoop(CancellationToken ct)
    {
        var lastFlush = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (NextTick(ct))
        {
            var now = _time.GetUtcNow();
            NoteIndexWaits();
            foreach (var c in _toc.Collections)
            {
                var interval = FlushInterval(c.Config.OptimizersConfig.FlushIntervalSec);
                if (!lastFlush.TryGetValue(c.Name, out var last))
                {
                    lastFlush[c.Name] = now;
                }
                else if (now - last >= interval)
                {
                    lastFlush[c.Name] = now;
                    try
                    {
                        c.Flush();
                    }
                    catch (ObjectDisposedException)
                    {
                        // Deleted while we were looking at it.
                    }
                    catch (Exception e)
                    {
                        // Not expected (the collection reports I/O failures itself); the next tick tries again.
                        EngineLog.FlushFailed(_logger, c.Name, e.GetType().Name + ": " + e.Message);
                    }
                }
            }
        }
    }

    /// <summary>The collection named <paramref name="name"/> (tests drive its optimizer and look at its shards).</summary>
    internal Collection CollectionForTests(string name) => _toc.Resolve(name).Value!;

    /// <summary>Drops the engine without flushing segments, as a crash would (tests only).</summary>
    internal void AbandonForTests() => Close(persist: false);

    /// <summary>
    /// Background optimizer: builds HNSW graphs for collections past their indexing threshold, one build at a
    /// time, on max_indexing_threads threads (0 = all cores but one, so searches keep a core). It leaves a collection
    /// alone while the disk is below the free-space floor (a merge writes a new segment before it frees the old ones),
    /// and after a failed job waits before the next try, longer after each failure in a row, so a full disk costs
    /// neither a busy loop nor a log line a second. Its threads run at a lower CPU priority, so on busy cores
    /// searches and writes are scheduled first and the builds take what they leave.
    /// </summary>
    private void OptimizeLoop(CancellationToken ct)
    {
        AotVector.Storage.Threads.BackgroundPriority.Lower(OptimizerNice);
        var backoff = new Dictionary<string, (DateTimeOffset RetryAt, TimeSpan Delay)>(StringComparer.Ordinal);
        var waitingForSpace = new HashSet<string>(StringComparer.Ordinal);
        while (NextTick(ct))
        {
            foreach (var c in _toc.Collections)
            {
                var now = _time.GetUtcNow();
                if (backoff.TryGetValue(c.Name, out var wait) && now < wait.RetryAt)
                {
                    continue;
                }

                if (_space.Below(c.Config.WalConfig.WalCapacityMb))
                {
                    if (waitingForSpace.Add(c.Name))
                    {
                        EngineLog.OptimizationWaitsForSpace(_logger, c.Name);
                    }

                    continue;
                }

                waitingForSpace.Remove(c.Name);
                var configured = (int)Math.Min(c.Config.HnswConfig.MaxIndexingThreads, 1024);
                var threads = configured > 0 ? configured : Math.Max(1, Environment.ProcessorCount - 1);
                try
                {
                    while (!ct.IsCancellationRequested && c.Optimize(threads, ct))
                    {
                    }

                    backoff.Remove(c.Name);
                }
                catch (ObjectDisposedException)
                {
                    // Deleted while it was being optimized.
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // A failed job leaves the segments as they were (a merge's new segment is deleted); the collection
                    // is planned again after the delay. On a thread of its own, an exception let through would end the process.
                    var delay = backoff.TryGetValue(c.Name, out var last) ? TimeSpan.FromTicks(Math.Min(last.Delay.Ticks * 2, MaxOptimizerBackoff.Ticks)) : TimeSpan.FromSeconds(2);
                    backoff[c.Name] = (_time.GetUtcNow() + delay, delay);
                    var reason = e is IOException or InvalidDataException or ArgumentException or InvalidOperationException ? e.Message : e.GetType().Name + ": " + e.Message;
                    EngineLog.OptimizationFailed(_logger, c.Name, reason, delay.TotalSeconds);
                }
            }
        }
    }

    private static readonly TimeSpan MaxOptimizerBackoff = TimeSpan.FromSeconds(30);

    // A nice value whose CPU share against a search thread's is about a tenth: a build still gets every idle cycle.
    private const int OptimizerNice = 10;

    public void Dispose() => Close(persist: true);

    // Stops the background loops and the update workers, then closes every collection: flushing it first, or not, as
    // a crash would leave it.
    private void Close(bool persist)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();

        // A collection being opened holds files the close below must see: the loader stops after it.
        _loader?.Join();
        _flusher.Join(TimeSpan.FromSeconds(10));
        _optimizer.Join(TimeSpan.FromSeconds(60));
        _updates.Dispose();
        if (_peerUpdates.IsValueCreated)
        {
            _peerUpdates.Value.Dispose();
        }

        if (_coordinations.IsValueCreated)
        {
            _coordinations.Value.Dispose();
        }
        if (persist)
        {
            _toc.Dispose();
        }
        else
        {
            _toc.Abandon();
        }

        _stopping.Dispose();
        _storageLock.Dispose();
    }

    private static AvError Forbidden(string what) => AvError.Forbidden(what);

    private Result<Collection> Resolve(AccessContext access, string name, AccessLevel needed)
    {
        var found = _toc.Resolve(name);
        if (!found.TryGet(out var collection, out _))
        {
            // Do not reveal whether a collection exists to a caller who may not see it.
            return access.LevelFor(name) >= AccessLevel.Read ? found : Forbidden($"Access to collection {name} is required");
        }

        // The name in the request is the one checked, alias or not (as the reference does): a token for a
        // collection does not reach it through an alias it does not list, nor a token for an alias the collection.
        var granted = access.LevelFor(name);
        if (granted < needed)
        {
            return Forbidden(needed switch
            {
                AccessLevel.ReadWrite when granted == AccessLevel.PointsReadWrite => $"Only points access is allowed for collection {name}",
                >= AccessLevel.PointsReadWrite => $"Write access to collection {name} is required",
                _ => $"Access to collection {name} is required",
            });
        }

        return collection;
    }

    private Result<T> Guard<T>(Func<Result<T>> action)
    {
        try
        {
            return action();
        }
        catch (Ports.ShardUnavailableException e)
        {
            return e.Error;
        }
        catch (ObjectDisposedException)
        {
            return new AvError(ErrorKind.Unavailable, "Service unavailable: the collection was closed while the request ran");
        }
        catch (OperationCanceledException)
        {
            // Reads stop on their own when cancelled; should anything below throw instead, the answer is the same.
            return Collection.CancelledRead;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or InvalidDataException or UnauthorizedAccessException)
        {
            EngineLog.RequestFailed(_logger, e.GetType().Name, e.Message);
            return e is IOException io && Shards.LocalShard.IsDiskFull(io)
                ? AvError.InsufficientStorage(Shards.LocalShard.DiskFullDetail(io))
                : AvError.Internal(e.Message);
        }
    }

}
