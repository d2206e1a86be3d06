namespace AotVector.Server.Tests.Security;

/// <summary>
/// A clock that moves only when the test says so. <see cref="Advance"/> runs each timer that has come due
/// once (as a busy real timer coalesces missed ticks), on the test's thread, so no tick races an assertion.
/// </summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];

    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Timestamps are the clock's UTC ticks.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Now.UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state, period) { Due = Now + dueTime };
        _timers.Add(timer);
        return timer;
    }

    public int Timers => _timers.Count;

    public void Advance(TimeSpan by)
    {
        Now += by;
        foreach (var timer in _timers.ToArray())
        {
            if (timer.Due <= Now)
            {
                timer.Due = Now + timer.Period;
                timer.Callback(timer.State);
            }
        }
    }

    private sealed class ManualTimer(ManualTime owner, TimerCallback callback, object? state, TimeSpan period) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        public TimeSpan Period { get; private set; } = period;

        public DateTimeOffset Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = owner.Now + dueTime;
            Period = period;
            return true;
        }

        public void Dispose() => owner._timers.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
