using System.Diagnostics;
using System.Globalization;

namespace AotVector.LoadGen;

/// <summary>
/// Search latency while a collection is loaded and indexed: one raw gRPC client on its own thread (in a process of
/// its own, see <see cref="ProbeProcess"/>) sends a query every <c>interval</c> (a light, steady read load, as an
/// application serving users during a bulk load has) and records each answer's latency under the phase set when it
/// was sent. Users compare the drain's p95 with the idle
/// p95: a server whose optimizer starves searches is slow exactly when it is busiest.
/// </summary>
internal sealed class LatencyProbe : IDisposable
{
    private readonly RawH2cClient _client;
    private readonly byte[][] _requests;
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private readonly Dictionary<string, PhaseSamples> _phases = [];
    private readonly List<string> _order = [];
    private volatile PhaseSamples? _current;
    private volatile bool _stop;

    public LatencyProbe(int grpcPort, byte[][] framedRequests, TimeSpan interval)
    {
        _client = new RawH2cClient(grpcPort, "/qdrant.Points/Query");
        _requests = framedRequests;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "latency probe" };
    }

    /// <summary>Starts sending; the queries count under <paramref name="phase"/> until the next call.</summary>
    public void Enter(string phase)
    {
        if (!_phases.TryGetValue(phase, out var samples))
        {
            samples = new PhaseSamples(phase);
            _phases[phase] = samples;
            _order.Add(phase);
        }

        samples.Clock.Start();
        var previous = _current;
        _current = samples;
        previous?.Clock.Stop();
        if (!_thread.IsAlive)
        {
            _thread.Start();
        }
    }

    /// <summary>Stops sending and returns each phase's figures in the order they were entered.</summary>
    public IReadOnlyList<PhaseLatency> Finish()
    {
        _stop = true;
        _thread.Join();
        _current?.Clock.Stop();
        return _order.Select(name => _phases[name].Summarize()).ToList();
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _client.Dispose();
    }

    private void Run()
    {
        var next = Stopwatch.GetTimestamp();
        var intervalTicks = (long)(_interval.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; !_stop; i++)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            var samples = _current!;
            var start = Stopwatch.GetTimestamp();
            try
            {
                var answer = _client.Call(_requests[i % _requests.Length]);
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                // The server's own time for the call (handler entry to answer), to tell a slow search from a slow hop.
                samples.Add(ms, Qdrant.Client.Grpc.QueryResponse.Parser.ParseFrom(answer).Time * 1000, DateTime.UtcNow);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Sockets.SocketException)
            {
                samples.AddError(e.Message);
                if (e is not InvalidOperationException)
                {
                    return; // the connection is gone; what was measured stands
                }
            }

            // A slow answer delays the next query instead of bunching the missed ones up.
            next = Math.Max(next + intervalTicks, Stopwatch.GetTimestamp());
        }
    }

    private sealed class PhaseSamples(string name)
    {
        private readonly List<double> _latencies = [];
        private readonly List<(double Ms, double HandlerMs, DateTime AnsweredUtc)> _slowest = [];
        private string? _firstError;
        private int _errors;
        private double _maxHandlerMs;

        public Stopwatch Clock { get; } = new();

        public void Add(double ms, double handlerMs, DateTime answeredUtc)
        {
            lock (_latencies)
            {
                _latencies.Add(ms);
                _maxHandlerMs = Math.Max(_maxHandlerMs, handlerMs);
                // The ten slowest with the time they were answered, to line up with the server's log.
                _slowest.Add((ms, handlerMs, answeredUtc));
                if (_slowest.Count > 10)
                {
                    _slowest.Remove(_slowest.MinBy(x => x.Ms));
                }
            }
        }

        public void AddError(string message)
        {
            lock (_latencies)
            {
                _errors++;
                _firstError ??= message;
            }
        }

        public PhaseLatency Summarize()
        {
            lock (_latencies)
            {
                var sorted = _latencies.Order().ToArray();
                double At(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * q))];
                return new PhaseLatency(name, Clock.Elapsed.TotalSeconds, sorted.Length, At(0.5), At(0.95), At(0.99),
                    sorted.Length == 0 ? double.NaN : sorted[^1], _maxHandlerMs, _errors, _firstError, _slowest.OrderByDescending(x => x.Ms).ToList());
            }
        }
    }
}

/// <summary>One phase's search latencies (ms) from <see cref="LatencyProbe"/>.</summary>
internal sealed record PhaseLatency(string Phase, double Seconds, int Queries, double P50, double P95, double P99, double Max, double MaxHandler, int Errors,
    string? FirstError, IReadOnlyList<(double Ms, double HandlerMs, DateTime AnsweredUtc)> Slowest)
{
    public string ToJson(double idleP95) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"phase\":\"{Phase}\",\"seconds\":{Seconds:F1},\"queries\":{Queries},\"p50_ms\":{Num(P50)},\"p95_ms\":{Num(P95)},\"p99_ms\":{Num(P99)},\"max_ms\":{Num(Max)},\"max_handler_ms\":{Num(MaxHandler)},\"p95_vs_idle\":{Num(P95 / idleP95)},\"errors\":{Errors}}}");

    private static string Num(double x) => double.IsFinite(x) ? x.ToString("F3", CultureInfo.InvariantCulture) : "null";
}
