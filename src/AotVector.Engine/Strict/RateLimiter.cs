using AotVector.Common.Errors;

namespace AotVector.Engine.Strict;

/// <summary>
/// A token bucket for a number of operations per minute, as the reference's: it starts full (a burst of a minute's
/// worth is allowed), refills evenly over the minute, and an operation costing more than the whole bucket can never pass.
/// </summary>
internal sealed class RateLimiter
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _capacity;
    private readonly double _perSecond;
    private double _tokens;
    private long _lastCheck;

    public RateLimiter(ulong perMinute, TimeProvider time)
    {
        _time = time;
        _capacity = perMinute;
        _perSecond = perMinute / 60.0;
        _tokens = perMinute;
        _lastCheck = time.GetTimestamp();
    }

    /// <summary>Takes <paramref name="cost"/> tokens, or answers the reference's 429 naming <paramref name="kind"/> ("Read", "Write").</summary>
    public AvError? TryConsume(ulong cost, string kind)
    {
        if (cost > _capacity)
        {
            return new AvError(ErrorKind.RateLimited,
                $"Rate limiting exceeded: {kind} rate limit exceeded, request larger than rate limiter capacity, please try to split your request");
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_perSecond * _time.GetElapsedTime(_lastCheck, now).TotalSeconds));
            _lastCheck = now;
            if (_tokens >= cost)
            {
                _tokens -= cost;
                return null;
            }

            var available = _tokens;
            var retryAfter = TimeSpan.FromSeconds((cost - available) / _perSecond);
            var seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
            return new AvError(ErrorKind.RateLimited,
                $"Rate limiting exceeded: {kind} rate limit exceeded: Operation requires {cost} tokens but only {available.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} were available. Retry after {seconds}s",
                retryAfter);
        }
    }
}
