namespace AotVector.Server.Hosting;

/// <summary>
/// Response times of one endpoint and status, kept as the reference keeps them: a count, the minimum, maximum and
/// total, a smoothed average over the latest <see cref="AverageWindow"/> responses, the time of the last response
/// and a histogram over <see cref="BucketBoundsSeconds"/> (the reference's buckets, 1 ms to 50 s).
/// </summary>
internal sealed class DurationStatistics
{
    public const int AverageWindow = 128;
    private const int SlidingWindow = 8;

    /// <summary>The histogram's upper bounds in seconds; the +Inf bucket is the count.</summary>
    public static readonly double[] BucketBoundsSeconds = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 5, 10, 50];

    private readonly Lock _gate = new();
    private readonly double[] _latest = new double[AverageWindow];
    private readonly long[] _buckets = new long[BucketBoundsSeconds.Length];
    private int _next;
    private bool _wrapped;
    private long _count;
    private double _min = double.MaxValue;
    private double _max;
    private double _total;
    private DateTimeOffset _last;

    public void Add(double seconds, DateTimeOffset now)
    {
        lock (_gate)
        {
            _count++;
            _total += seconds;
            _min = Math.Min(_min, seconds);
            _max = Math.Max(_max, seconds);
            _last = now;
            _latest[_next] = seconds;
            if (++_next == AverageWindow)
            {
                _next = 0;
                _wrapped = true;
            }

            var bucket = Array.FindIndex(BucketBoundsSeconds, b => seconds <= b);
            if (bucket >= 0)
            {
                _buckets[bucket]++;
            }
        }
    }

    public DurationSnapshot Snapshot()
    {
        lock (_gate)
        {
            var cumulative = new long[_buckets.Length];
            long running = 0;
            for (var i = 0; i < _buckets.Length; i++)
            {
                running += _buckets[i];
                cumulative[i] = running;
            }

            return new DurationSnapshot(_count, _count == 0 ? 0 : Average(), _count == 0 ? 0 : _min, _max, _total, _last, cumulative);
        }
    }

    // The mean of moving averages over the latest responses, oldest first: recent bursts weigh in, single outliers less.
    private double Average()
    {
        var n = _wrapped ? AverageWindow : _next;
        Span<double> data = stackalloc double[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = _latest[_wrapped ? (_next + i) % AverageWindow : i];
        }

        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var from = Math.Max(0, i - SlidingWindow);
            double window = 0;
            for (var j = from; j <= i; j++)
            {
                window += data[j];
            }

            sum += window / (i - from + 1);
        }

        return sum / n;
    }
}

/// <summary>One endpoint and status at one moment; <see cref="CumulativeBuckets"/> align with the bucket bounds.</summary>
internal sealed record DurationSnapshot(long Count, double AverageSeconds, double MinSeconds, double MaxSeconds, double TotalSeconds, DateTimeOffset LastResponded, long[] CumulativeBuckets);
