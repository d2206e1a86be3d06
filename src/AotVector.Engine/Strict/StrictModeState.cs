using AotVector.Engine.Api;

namespace AotVector.Engine.Strict;

/// <summary>
/// What strict mode keeps per collection between requests: the read and write rate limiters of its current config
/// (made anew when the config changes, as the reference does), and the payload size, which takes a walk over every
/// payload to measure: measured on the first ask after a config change and every <see cref="StatsRefreshCalls"/>-th
/// ask after, as the reference caches its size estimate.
/// </summary>
internal sealed class StrictModeState
{
    public const int StatsRefreshCalls = 32;

    private readonly Lock _gate = new();
    private StrictModeConfig? _limitersFor;
    private RateLimiter? _read;
    private RateLimiter? _write;
    private StrictModeConfig? _payloadFor;
    private ulong _payloadBytes;
    private int _payloadCalls;

    public readonly record struct SizeStats(ulong Points, ulong VectorBytes, ulong PayloadBytes);

    public RateLimiter? ReadLimiter(StrictModeConfig config, TimeProvider time)
    {
        lock (_gate)
        {
            Renew(config, time);
            return _read;
        }
    }

    public RateLimiter? WriteLimiter(StrictModeConfig config, TimeProvider time)
    {
        lock (_gate)
        {
            Renew(config, time);
            return _write;
        }
    }

    /// <summary>The cached payload size under <paramref name="config"/>.</summary>
    public ulong PayloadBytes(StrictModeConfig config, Func<ulong> measure)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(config, _payloadFor) || ++_payloadCalls >= StatsRefreshCalls)
            {
                _payloadFor = config;
                _payloadCalls = 0;
                _payloadBytes = measure();
            }

            return _payloadBytes;
        }
    }

    private void Renew(StrictModeConfig config, TimeProvider time)
    {
        if (ReferenceEquals(config, _limitersFor))
        {
            return;
        }

        _limitersFor = config;
        _read = config.ReadRateLimit is { } read ? new RateLimiter(read, time) : null;
        _write = config.WriteRateLimit is { } write ? new RateLimiter(write, time) : null;
    }
}
