using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace AotVector.Testing;

/// <summary>
/// The published AotVector binary running on free loopback ports with its own temp storage.
/// Output is captured so a failing test can show what the server said.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private ServerProcess(TempDirectory dir, Dictionary<string, string> environment, int httpPort, int grpcPort)
    {
        _dir = dir;
        _environment = environment;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        BaseUri = new Uri($"http://127.0.0.1:{httpPort}");
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public string StoragePath => Path.Combine(_dir.Path, "storage");

    public string WorkingDirectory => _dir.Path;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string BinaryPath
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("AOTVECTOR_BIN");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            return Path.Combine(RepoRoot, "artifacts", "publish", "aotvector", "aotvector");
        }
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AotVector.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AotVector.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Starts the server and waits until /readyz answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var dir = new TempDirectory("server");
        var http = FreePort();
        var grpc = FreePort();
        var env = new Dictionary<string, string>
        {
            ["QDRANT__SERVICE__HOST"] = "127.0.0.1",
            ["QDRANT__SERVICE__HTTP_PORT"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["QDRANT__SERVICE__GRPC_PORT"] = grpc.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["QDRANT__STORAGE__STORAGE_PATH"] = Path.Combine(dir.Path, "storage"),
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        var server = new ServerProcess(dir, env, http, grpc);
        await server.LaunchAsync(args).ConfigureAwait(false);
        return server;
    }

    /// <summary>Runs the binary to completion (for startup-error tests): exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(BinaryPath) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return (p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private async Task LaunchAsync(string[] args)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"Server binary not found at {BinaryPath}: run ./build.sh publish (./build.sh test does it).");
        }

        var psi = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir.Path,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in _environment)
        {
            psi.Environment[k] = v;
        }

        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => Append(e.Data);
        p.ErrorDataReceived += (_, e) => Append(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _process = p;

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited)
            {
                throw new InvalidOperationException($"Server exited with {p.ExitCode} during startup:\n{Output}");
            }

            try
            {
                using var r = await Http.GetAsync("/readyz").ConfigureAwait(false);
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException("Server did not become ready in 60 s:\n" + Output);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>SIGTERM and wait for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        _ = Kill(_process.Id, 15);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or OOM kill.</summary>
    public void KillHard()
    {
        if (_process is { HasExited: false })
        {
            _ = Kill(_process.Id, 9);
            _process.WaitForExit(30_000);
        }
    }

    /// <summary>Starts the binary again on the same ports and storage.</summary>
    public Task RestartAsync(params string[] args) => LaunchAsync(args);

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process?.Dispose();
        Http.Dispose();
        _dir.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
