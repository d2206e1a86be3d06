using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using AotVector.Common.Errors;
using AotVector.Server.Config;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// The audit log: requests hand entries to a bounded queue and go on; one writer task serializes them and
/// appends them to <see cref="AuditFiles"/>. A full queue drops the new entry rather than slow requests down
/// (a flood of refused requests must not stall the server on disk writes): each lost line is counted in
/// /metrics, and the first full queue is logged as a warning, as is the first failed write after a good one.
/// </summary>
internal sealed class AuditLog : IDisposable
{
    /// <summary>Lines waiting for the writer; at a few hundred bytes each, a few MB at most.</summary>
    public const int QueueCapacity = 8192;

    private static readonly TimeSpan s_shutdownWait = TimeSpan.FromSeconds(5);

    private readonly Channel<AuditEntry> _queue;
    private readonly AuditFiles _files;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private readonly int _capacity;

    // Warn once: for a full queue per process (the counter tells the rest), for failed writes until one succeeds.
    private int _queueFullWarned;
    private int _writeFailing;

    private AuditLog(AuditFiles files, AuditSettings settings, TimeProvider time, ILogger logger, int capacity)
    {
        _files = files;
        _logger = logger;
        Time = time;
        TrustForwardedHeaders = settings.TrustForwardedHeaders;
        _capacity = capacity;
        _queue = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunAsync);
    }

    public TimeProvider Time { get; }

    /// <summary><c>audit.trust_forwarded_headers</c>.</summary>
    public bool TrustForwardedHeaders { get; }

    /// <summary>The file lines currently go to.</summary>
    public string? CurrentPath => _files.CurrentPath;

    /// <summary>Creates the directory and opens today's file; an error names the directory and the cause.</summary>
    public static Result<AuditLog> Open(AuditSettings settings, string directory, TimeProvider time, ILogger logger, int capacity = QueueCapacity)
    {
        var files = new AuditFiles(directory, settings.Rotation, settings.MaxLogFiles);
        try
        {
            files.Open(time.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            files.Dispose();
            return new AvError(ErrorKind.BadRequest, $"audit.dir: cannot open the audit log in '{directory}': {e.Message}");
        }

        return new AuditLog(files, settings, time, logger, capacity);
    }

    /// <summary>
    /// Opens the configured audit log, or leaves <paramref name="log"/> null when <c>audit.enabled</c> is false.
    /// False (with the reason in one line on stderr) when it cannot be opened: the audit log fails closed.
    /// </summary>
    public static bool TryOpen(LoadedSettings loaded, ILoggerFactory loggers, out AuditLog? log)
    {
        log = null;
        var settings = loaded.Settings.Audit;
        if (!settings.Enabled)
        {
            return true;
        }

        var logger = loggers.CreateLogger("AotVector.Audit");
        if (!Open(settings, loaded.ResolvePath(settings.Dir), TimeProvider.System, logger).TryGet(out log, out var error))
        {
            Console.Error.WriteLine("aotvector: configuration error: " + error.Message);
            return false;
        }

        SecurityLog.AuditEnabled(logger, log.CurrentPath!, settings.Rotation == AuditRotation.Hourly ? "hourly" : "daily", Math.Max(1, settings.MaxLogFiles));
        return true;
    }

    /// <summary>Queues one line; never blocks. A full queue drops it (counted in /metrics).</summary>
    public void Write(AuditEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            SecurityMetrics.AuditLineDropped();
            if (Interlocked.Exchange(ref _queueFullWarned, 1) == 0)
            {
                SecurityLog.AuditQueueFull(_logger, _capacity);
            }
        }
    }

    /// <summary>Writes what is queued, then closes the file. Lines queued after this are dropped.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _writer.Wait(s_shutdownWait);
        }
        catch (AggregateException)
        {
            // The writer logs its own failures; shutting down goes on.
        }

        _files.Dispose();
    }

    private async Task RunAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var written = false;
            while (reader.TryRead(out var entry))
            {
                buffer.ResetWrittenCount();
                json.Reset(buffer);
                AuditLine.Write(json, entry);
                buffer.Write("\n"u8);
                try
                {
                    _files.Write(buffer.WrittenSpan, entry.Timestamp);
                    written = true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    WriteFailed(e.Message);
                }
            }

            if (written)
            {
                try
                {
                    _files.Flush();
                    _writeFailing = 0;
                }
                catch (IOException e)
                {
                    WriteFailed(e.Message);
                }
            }
        }
    }

    private void WriteFailed(string reason)
    {
        SecurityMetrics.AuditLineDropped();
        if (_writeFailing == 0)
        {
            _writeFailing = 1;
            SecurityLog.AuditWriteFailed(_logger, _files.CurrentPath ?? _files.Directory, reason);
        }
    }
}
