using System.Net;
using System.Net.Sockets;

namespace AotVector.Server.Security;

/// <summary>
/// Counts failed authentications per client address. An address that fails <c>limit</c> times within one window
/// (counted from its first failure) is refused for one window from the failure that reached the limit, whatever
/// credential it then sends: answering a correct guess differently would let guessing go on at full speed.
/// <para>
/// Memory is bounded: at most <see cref="Capacity"/> addresses are tracked. When the table is full, stale entries
/// go first, then addresses that are counting but not refused; if every entry is a refused address, failures from
/// new addresses go uncounted until the earliest refusal ends. IPv6 addresses are counted per /64, the block one
/// host usually gets, so a host cannot step through its own addresses.
/// </para>
/// </summary>
internal sealed class AuthThrottle
{
    /// <summary>About 50 bytes per entry, so the table stays under a megabyte whatever a flood of addresses does.</summary>
    public const int DefaultCapacity = 16_384;

    private readonly int _limit;
    private readonly long _window;
    private readonly TimeProvider _time;
    private readonly Dictionary<UInt128, Entry> _entries = new();
    private readonly Lock _lock = new();

    // Read without the lock on every request: no address has ever failed is the common case, and costs nothing.
    private volatile int _count;
    private long _nextSweep;
    private long _fullUntil;

    public AuthThrottle(int limit, TimeSpan window, TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _limit = limit;
        _window = (long)(window.TotalSeconds * time.TimestampFrequency);
        _time = time;
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>The throttle <c>service.auth_failure_limit</c> asks for, or null when it is 0 or null (off).</summary>
    public static AuthThrottle? Create(Config.ServiceSettings service, TimeProvider time, ILogger logger)
    {
        if (!service.AuthThrottleEnabled)
        {
            return null;
        }

        SecurityLog.AuthThrottleEnabled(logger, service.AuthFailureLimit!.Value, service.AuthFailureWindowSec);
        return new AuthThrottle(service.AuthFailureLimit.Value, TimeSpan.FromSeconds(service.AuthFailureWindowSec), time);
    }

    /// <summary>Addresses currently tracked (counting or refused).</summary>
    public int TrackedAddresses => _count;

    /// <summary>Whether <paramref name="address"/> is refused now, and for how much longer. A request with no address never is.</summary>
    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_count == 0 || !TryKey(address, out var key))
        {
            return false;
        }

        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return false;
            }

            if (entry.BlockedUntil > now)
            {
                retryAfter = Elapsed(entry.BlockedUntil - now);
                return true;
            }

            if (IsStale(entry, now))
            {
                Remove(key);
            }

            return false;
        }
    }

    /// <summary>Counts one failed authentication from <paramref name="address"/>; reaching the limit refuses the address for one window.</summary>
    public void RecordFailure(IPAddress? address)
    {
        if (!TryKey(address, out var key))
        {
            return;
        }

        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (now >= _nextSweep)
            {
                // Keeps the table (and the lock-free fast path) empty again once failures stop.
                Sweep(now);
                _nextSweep = now + _window;
            }

            if (!_entries.TryGetValue(key, out var entry))
            {
                if (!MakeRoom(now))
                {
                    return;
                }

                entry = new Entry(now, 0, 0);
            }
            else if (entry.BlockedUntil > now)
            {
                // A request already past the check when the limit was reached: the address is refused anyway.
                return;
            }
            else if (now - entry.WindowStart >= _window)
            {
                entry = new Entry(now, 0, 0);
            }

            entry = entry with { Failures = entry.Failures + 1 };
            if (entry.Failures >= _limit)
            {
                entry = new Entry(now, 0, now + _window);
            }

            _entries[key] = entry;
            _count = _entries.Count;
        }
    }

    /// <summary>Frees a slot for a new address if the table is full; false when every entry is a refused address.</summary>
    private bool MakeRoom(long now)
    {
        if (_entries.Count < Capacity)
        {
            return true;
        }

        if (now < _fullUntil)
        {
            return false;
        }

        Sweep(now);
        if (_entries.Count >= Capacity / 2)
        {
            // Addresses still counting lose their count; refused addresses stay refused.
            foreach (var (key, entry) in _entries)
            {
                if (entry.BlockedUntil <= now)
                {
                    _entries.Remove(key);
                }
            }
        }

        _count = _entries.Count;
        if (_entries.Count < Capacity)
        {
            return true;
        }

        // Full of refused addresses: sweeping again before the first refusal ends would free nothing.
        var earliest = long.MaxValue;
        foreach (var entry in _entries.Values)
        {
            earliest = Math.Min(earliest, entry.BlockedUntil);
        }

        _fullUntil = earliest;
        return false;
    }

    private void Sweep(long now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (IsStale(entry, now))
            {
                _entries.Remove(key);
            }
        }

        _count = _entries.Count;
    }

    private void Remove(UInt128 key)
    {
        _entries.Remove(key);
        _count = _entries.Count;
    }

    private bool IsStale(Entry entry, long now) => entry.BlockedUntil <= now && now - entry.WindowStart >= _window;

    private TimeSpan Elapsed(long timestampDelta) => TimeSpan.FromSeconds((double)timestampDelta / _time.TimestampFrequency);

    /// <summary>IPv4 (also when mapped into IPv6) by address, IPv6 by its /64 prefix.</summary>
    internal static bool TryKey(IPAddress? address, out UInt128 key)
    {
        key = default;
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _))
        {
            // The IPv4-mapped form, so it cannot meet an IPv6 /64 key (those keep the low 64 bits zero).
            key = new UInt128(0, 0xFFFF_0000_0000UL | System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes));
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.TryWriteBytes(bytes, out _))
        {
            key = new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), 0);
            return true;
        }

        return false;
    }

    /// <summary>Timestamps in <see cref="TimeProvider.GetTimestamp"/> units; <see cref="BlockedUntil"/> 0 when not refused.</summary>
    private readonly record struct Entry(long WindowStart, int Failures, long BlockedUntil);
}
