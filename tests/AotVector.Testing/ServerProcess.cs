using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace AotVector.Testing;

/// <summary>
/// The published AotVector binary running as a child process on two free loopback ports with its own
/// temp storage. Tests see the server only through HTTP; the captured stdout/stderr go into failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

    private const int FirstPort = 20000;
    private const int PortCount = 12000;
    private static int s_nextPort = Random.Shared.Next(PortCount);

    private readonly ServerOptions _options;
    private readonly TempDirectory _temp;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly object _logLock = new();
    private Process? _process;
    private HttpClient _http;
    private int _generation;

    private ServerProcess(ServerOptions options)
    {
        _options = options;
        _temp = new TempDirectory("e2e");
        (HttpPort, GrpcPort) = PickFreePorts();
        BaseUri = new Uri($"http://127.0.0.1:{HttpPort}");
        _http = NewClient();
    }

    public HttpClient Http => _http;

    public Uri BaseUri { get; }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    /// <summary>The server's working directory (fresh per server); storage lives in its <c>storage</c> folder.</summary>
    public string WorkingDirectory => _temp.Path;

    public string StoragePath => _temp.Combine("storage");

    /// <summary>The operating system's id of the running server process (for /proc readings: resident memory, CPU time).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("not started");

    public bool HasExited => _process is null || _process.HasExited;

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public string StandardOutput
    {
        get
        {
            lock (_logLock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_logLock)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the binary and waits until <c>GET /readyz</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(ServerOptions? options = null)
    {
        var server = Launch(options);
        try
        {
            await server.WaitReadyAsync().ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>Starts the binary without waiting for readiness (for tests that expect it to fail).</summary>
    public static ServerProcess Launch(ServerOptions? options = null)
    {
        var server = Create(options);
        server.Start();
        return server;
    }

    /// <summary>Prepares ports and working directory without starting, so a test can put files there first.</summary>
    public static ServerProcess Create(ServerOptions? options = null) => new(options ?? new ServerOptions());

    /// <summary>Starts the process of a server made by <see cref="Create"/>; does not wait for readiness.</summary>
    public void Start()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("already started; use RestartAsync");
        }

        StartProcess();
    }

    /// <summary>Writes a file into the server's working directory and returns its full path.</summary>
    public string WriteFile(string name, string contents)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, contents);
        return path;
    }

    public async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + s_readyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                Assert.Fail($"Server exited with code {ExitCode} before it was ready.\n{Logs()}");
            }

            try
            {
                using var response = await _http.GetAsync("/readyz").ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        Assert.Fail($"Server not ready within {s_readyTimeout.TotalSeconds} s.\n{Logs()}");
    }

    /// <summary>Waits for the process to end by itself (used when startup is expected to fail).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"Server did not exit within {timeout.TotalSeconds} s.\n{Logs()}");
        }

        // The parameterless wait also drains the redirected output streams.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Graceful stop: SIGTERM, then wait for exit. Returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return process?.ExitCode ?? 0;
        }

        _ = NativeMethods.kill(process.Id, SigTerm);
        using var cts = new CancellationTokenSource(s_stopTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"Server ignored SIGTERM for {s_stopTimeout.TotalSeconds} s.\n{Logs()}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Crash stop: SIGKILL, no chance to flush anything.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        _ = NativeMethods.kill(process.Id, SigKill);
        process.WaitForExit();
    }

    /// <summary>Stops the server if it still runs (gracefully) and starts it again on the same ports and storage.</summary>
    public async Task RestartAsync()
    {
        if (!HasExited)
        {
            await StopAsync().ConfigureAwait(false);
        }

        // Old pooled connections point at the dead process.
        _http.Dispose();
        _http = NewClient();
        StartProcess();
        await WaitReadyAsync().ConfigureAwait(false);
    }

    /// <summary>Both output streams (tail), labelled, for assertion messages.</summary>
    public string Logs(int maxChars = 6000)
    {
        static string Tail(string s, int max) => s.Length <= max ? s : "…" + s[^max..];
        return $"--- server stdout ---\n{Tail(StandardOutput, maxChars)}\n--- server stderr ---\n{Tail(StandardError, maxChars)}\n---";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!HasExited)
            {
                try
                {
                    await StopAsync().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    Kill();
                }
            }
        }
        finally
        {
            _process?.Dispose();
            _http.Dispose();
            _temp.Dispose();
        }
    }

    private void StartProcess()
    {
        var generation = ++_generation;
        var info = new ProcessStartInfo(RepoPaths.ServerBinary)
        {
            WorkingDirectory = _temp.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in _options.Arguments)
        {
            info.ArgumentList.Add(arg);
        }

        // The test runner's own QDRANT__/AOTVECTOR__ settings must not leak into the server under test.
        foreach (var key in info.Environment.Keys.ToList())
        {
            if (key.StartsWith("QDRANT__", StringComparison.Ordinal) || key.StartsWith("AOTVECTOR__", StringComparison.Ordinal))
            {
                info.Environment.Remove(key);
            }
        }

        info.Environment["QDRANT__SERVICE__HOST"] = "127.0.0.1";
        info.Environment["QDRANT__SERVICE__HTTP_PORT"] = HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["QDRANT__SERVICE__GRPC_PORT"] = GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["QDRANT__STORAGE__STORAGE_PATH"] = StoragePath;
        foreach (var (key, value) in _options.Environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process?.Dispose();
        _process = process;
        if (generation > 1)
        {
            lock (_logLock)
            {
                _stdout.Append("=== restart #").Append(generation - 1).Append(" ===\n");
                _stderr.Append("=== restart #").Append(generation - 1).Append(" ===\n");
            }
        }

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            target.Append(line).Append('\n');
        }
    }

    private HttpClient NewClient() => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = BaseUri,
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static (int Http, int Grpc) PickFreePorts() => (PickFreePort(), PickFreePort());

    /// <summary>One more free loopback port from the same range (a cluster peer's p2p port).</summary>
    public static int FreePort() => PickFreePort();

    // Ports come from below Linux's ephemeral range (32768-60999): a port the kernel hands out there for an outgoing
    // connection could be taken between this check and the server's bind. A shared counter keeps the servers of one
    // test run apart; the random start keeps parallel test processes apart.
    private static int PickFreePort()
    {
        for (var attempt = 0; attempt < 4096; attempt++)
        {
            var port = FirstPort + (int)((uint)Interlocked.Increment(ref s_nextPort) % PortCount);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                probe.Stop();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port below the ephemeral range");
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);
    }
}
