using System.Globalization;
using AotVector.EndToEnd.Tests.Fuzz;
using AotVector.Testing;

// Usage: AotVector.Fuzz [count=20000] [seed=1] [rest-share=0.5]
// Starts the published server (AOTVECTOR_BIN or artifacts/publish/aotvector/aotvector) on free ports with fresh storage,
// sends `count` fuzzed requests (REST and gRPC), then checks the server still answers and its log has no error-level
// line or stack trace. Exit code 0 when clean, 1 when anything failed. The server's log is kept in artifacts/fuzz/.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var restShare = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0.5;
var restCount = (int)Math.Round(count * restShare);

var logPath = Path.Combine(RepoPaths.Root, "artifacts", "fuzz", $"server-seed{seed}.log");
Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
await using var server = await ServerProcess.StartAsync();
Console.WriteLine($"server on REST {server.HttpPort}, gRPC {server.GrpcPort}; {count} requests, seed {seed}");
FuzzReport report;
try
{
    report = await Fuzzer.RunAsync(server, seed, restCount, count - restCount, Console.Out);
}
finally
{
    File.WriteAllText(logPath, server.StandardOutput + server.StandardError);
}

Console.WriteLine(report);

var failed = report.FailureCount > 0;
try
{
    using var health = await server.Http.GetAsync("/healthz");
    Console.WriteLine($"GET /healthz after the run: {(int)health.StatusCode}");
    failed |= !health.IsSuccessStatusCode;
}
catch (HttpRequestException e)
{
    Console.WriteLine($"GET /healthz after the run failed: {e.Message}");
    failed = true;
}

var log = server.StandardOutput + server.StandardError;
var problems = LogProblems.Find(log);
Console.WriteLine($"server log: {log.Split('\n').Length} lines, {problems.Count} error or stack-trace lines");
foreach (var line in problems.Take(20))
{
    Console.WriteLine("  " + (line.Length > 600 ? line[..600] + "…" : line));
}

File.WriteAllText(logPath, log);
Console.WriteLine("server log kept in " + logPath);
return failed || problems.Count > 0 ? 1 : 0;
