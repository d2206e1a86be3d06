namespace AotVector.Server.Hosting;

/// <summary>
/// Per connection: whether a short read may run on the socket thread that parsed it, saving the hand-over to
/// the pool (a thread wake-up, which on a small box costs a third of a search). That thread serves the whole
/// connection, so running there is only right for a client that sends one request, waits for the answer and
/// sends the next. A client that multiplexes requests on one HTTP/2 connection would otherwise have them run
/// one after another on one core instead of in parallel.
/// <para>
/// The connection starts out handing everything over, and watches: after <see cref="CalmRequests"/> requests in
/// a row that found nothing else of this connection running, it goes inline, if its socket thread has no other
/// inline connection (<see cref="InlineSlot"/>). Every <see cref="ProbeInterval"/>th request still hands over so
/// that overlap stays visible; any overlap, or an inline request that ran longer than <see cref="SlowInlineTicks"/>,
/// sends it back to handing over. Fields other than the active count are hints read and written without locks:
/// a lost update only delays a switch by a request.
/// </para>
/// </summary>
internal sealed class ConnectionSchedule
{
    /// <summary>Requests in a row, each alone on the connection, before short reads run inline.</summary>
    public const int CalmRequests = 16;

    /// <summary>While inline, every this many short reads one is handed over to look for overlap.</summary>
    public const int ProbeInterval = 16;

    /// <summary>
    /// An inline request longer than this (10 ms of wall time) holds up the socket thread's other connections too
    /// long. Wall time, because thread CPU time costs a system call; so it sits well above a search that was only
    /// preempted for a while on a busy box, or such preemptions alone would send busy connections back to handing over.
    /// </summary>
    public static readonly long SlowInlineTicks = System.Diagnostics.Stopwatch.Frequency / 100;

    private int _active;
    private int _calm;
    private int _sinceProbe;
    private bool _inline;
    private long _lastBegin;

    /// <summary>Whether short reads on this connection currently run inline (for tests and diagnostics).</summary>
    public bool IsInline => _inline;

    /// <summary>When (Stopwatch timestamp) the last request entered.</summary>
    public long LastBegin => _lastBegin;

    /// <summary>
    /// Called as a request enters, on the thread that parsed it, with that thread's <paramref name="slot"/> and the
    /// current Stopwatch timestamp; every call must be matched by <see cref="End"/>. Returns true when the request
    /// should run on the current (socket) thread: only for a <paramref name="shortRead"/> on a calm connection
    /// that holds its thread's slot.
    /// </summary>
    public bool Begin(bool shortRead, InlineSlot slot, long now)
    {
        _lastBegin = now;
        if (Interlocked.Increment(ref _active) > 1)
        {
            _inline = false;
            _calm = 0;
            return false;
        }

        if (!shortRead)
        {
            return false;
        }

        if (_inline)
        {
            if (!slot.TryClaim(this, now))
            {
                // Another calm connection took the thread while this one was idle: wait for the slot again.
                _inline = false;
                return false;
            }

            if (++_sinceProbe < ProbeInterval)
            {
                return true;
            }

            _sinceProbe = 0;
            return false;
        }

        if (++_calm >= CalmRequests)
        {
            // Calm stays earned; only the slot is retried, once per request, until this thread's owner lets go.
            _calm = CalmRequests;
            _inline = slot.TryClaim(this, now);
            _sinceProbe = 0;
        }

        return false;
    }

    /// <summary>Called as a request leaves, with whether it ran inline and how long it took (Stopwatch ticks).</summary>
    public void End(bool ranInline, long elapsedTicks)
    {
        if (ranInline && elapsedTicks > SlowInlineTicks)
        {
            _inline = false;
            _calm = 0;
        }

        Interlocked.Decrement(ref _active);
    }
}
