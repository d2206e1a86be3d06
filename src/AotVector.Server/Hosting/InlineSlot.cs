using System.Diagnostics;

namespace AotVector.Server.Hosting;

/// <summary>
/// One per socket thread: the one connection whose short reads may run on it. A socket thread serves many
/// connections, and while it runs one connection's search, the others' requests wait to be read. With one inline
/// connection per thread that wait is at most one search; with several, a request can queue behind a search of
/// each of them, and the tail latency grows with their number. The others hand over to the pool as before. Only
/// its own thread touches a slot; the owner's state is read as a hint.
/// </summary>
internal sealed class InlineSlot
{
    /// <summary>An owner that has sent nothing for this long (1 s) may be gone: its slot is up for taking.</summary>
    public static readonly long IdleTicks = Stopwatch.Frequency;

    [ThreadStatic]
    private static InlineSlot? t_current;

    private ConnectionSchedule? _owner;

    /// <summary>The slot of the calling thread.</summary>
    public static InlineSlot Current => t_current ??= new InlineSlot();

    /// <summary>The connection that holds this slot, if any.</summary>
    public ConnectionSchedule? Owner => _owner;

    /// <summary>
    /// Gives the slot to <paramref name="candidate"/> unless another connection holds it, is still inline and has
    /// sent a request within <see cref="IdleTicks"/> of <paramref name="now"/>. Connections never say when they
    /// close; an owner that has closed simply goes idle.
    /// </summary>
    public bool TryClaim(ConnectionSchedule candidate, long now)
    {
        var owner = _owner;
        if (owner is null || owner == candidate || !owner.IsInline || now - owner.LastBegin > IdleTicks)
        {
            _owner = candidate;
            return true;
        }

        return false;
    }
}
