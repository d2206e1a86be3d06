using System.Diagnostics;
using System.Globalization;

namespace AotVector.LoadGen;

/// <summary>
/// Runs <see cref="LatencyProbe"/> in a process of its own (this program started with <c>probe</c>), so the
/// upsert client's garbage collections and JIT pauses in this process do not count as search latency: an
/// application's searches do not share a process with its bulk loader either. The parent names the phases on the
/// child's stdin; the child answers <c>finish</c> with one line per phase and per slowest answer on its stdout.
/// </summary>
internal sealed class ProbeProcess : IDisposable
{
    private const char Tab = '\t';
    private readonly Process _child;
    private readonly string _requestsPath;

    public ProbeProcess(int grpcPort, byte[][] framedRequests, TimeSpan interval, string scratchDir)
    {
        Directory.CreateDirectory(scratchDir);
        _requestsPath = Path.Combine(scratchDir, "probe-requests.bin");
        WriteRequests(_requestsPath, framedRequests);

        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ProbeProcess).Assembly.Location);
        }

        foreach (var a in new[] { "probe", grpcPort.ToString(CultureInfo.InvariantCulture), interval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture), _requestsPath })
        {
            info.ArgumentList.Add(a);
        }

        _child = Process.Start(info)!;
    }

    /// <summary>Queries sent from now on count under <paramref name="phase"/>; the first call starts sending.</summary>
    public void Enter(string phase)
    {
        _child.StandardInput.WriteLine("enter" + Tab + phase);
        _child.StandardInput.Flush();
    }

    /// <summary>Stops sending and returns each phase's figures in the order they were entered.</summary>
    public IReadOnlyList<PhaseLatency> Finish()
    {
        _child.StandardInput.WriteLine("finish");
        _child.StandardInput.Flush();
        var phases = new List<PhaseLatency>();
        var slowest = new Dictionary<string, List<(double, double, DateTime)>>();
        string? line;
        while ((line = _child.StandardOutput.ReadLine()) is not null)
        {
            var f = line.Split(Tab);
            switch (f[0])
            {
                case "slow":
                    if (!slowest.TryGetValue(f[1], out var list))
                    {
                        slowest[f[1]] = list = [];
                    }

                    list.Add((D(f[2]), D(f[3]), new DateTime(long.Parse(f[4], CultureInfo.InvariantCulture), DateTimeKind.Utc)));
                    break;
                case "phase":
                    phases.Add(new PhaseLatency(f[1], D(f[2]), int.Parse(f[3], CultureInfo.InvariantCulture), D(f[4]), D(f[5]), D(f[6]), D(f[7]), D(f[8]),
                        int.Parse(f[9], CultureInfo.InvariantCulture), f[10].Length == 0 ? null : f[10], []));
                    break;
            }
        }

        _child.WaitForExit();
        if (_child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the latency probe process exited with {_child.ExitCode}");
        }

        return [.. phases.Select(p => p with { Slowest = slowest.GetValueOrDefault(p.Phase) ?? [] })];
    }

    public void Dispose()
    {
        if (!_child.HasExited)
        {
            _child.Kill();
            _child.WaitForExit();
        }

        _child.Dispose();
        File.Delete(_requestsPath);
    }

    /// <summary>The child's side: <c>probe PORT INTERVAL_MS REQUESTS_FILE</c>. Returns the exit code.</summary>
    public static int RunChild(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var interval = TimeSpan.FromMilliseconds(double.Parse(args[2], CultureInfo.InvariantCulture));
        using var probe = new LatencyProbe(port, ReadRequests(args[3]), interval);
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            var f = line.Split(Tab);
            if (f[0] == "enter")
            {
                probe.Enter(f[1]);
            }
            else if (f[0] == "finish")
            {
                foreach (var p in probe.Finish())
                {
                    foreach (var (ms, handlerMs, answered) in p.Slowest)
                    {
                        Console.Out.WriteLine(string.Join(Tab, "slow", p.Phase, N(ms), N(handlerMs), answered.Ticks.ToString(CultureInfo.InvariantCulture)));
                    }

                    Console.Out.WriteLine(string.Join(Tab, "phase", p.Phase, N(p.Seconds), p.Queries.ToString(CultureInfo.InvariantCulture), N(p.P50), N(p.P95), N(p.P99),
                        N(p.Max), N(p.MaxHandler), p.Errors.ToString(CultureInfo.InvariantCulture), (p.FirstError ?? "").ReplaceLineEndings(" ").Replace(Tab, ' ')));
                }

                Console.Out.Flush();
                return 0;
            }
        }

        return 1; // the parent went away before asking for the figures
    }

    private static string N(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static void WriteRequests(string path, byte[][] requests)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(requests.Length);
        foreach (var r in requests)
        {
            writer.Write(r.Length);
            writer.Write(r);
        }
    }

    private static byte[][] ReadRequests(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var requests = new byte[reader.ReadInt32()][];
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = reader.ReadBytes(reader.ReadInt32());
        }

        return requests;
    }
}
