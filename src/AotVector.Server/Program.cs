using AotVector.Server.Config;
using AotVector.Server.Hosting;

// Socket completions run on the runtime's epoll thread instead of being handed to the thread pool first, and Kestrel
// schedules inline too (UnsafePreferInlineScheduling, set in ServerHost), so a request starts on that thread. The first
// middleware (RequestScheduling) then moves every request to the pool except a short read from a one-at-a-time client,
// so WAL fsyncs, large bodies and slow queries never hold the socket thread. That saves thread handoffs, and a wake-up
// costs more than the work on a small box (see perf/results/server-load.md). Read once, when the socket engine starts,
// so it is set before anything opens a socket; an explicit value wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// One line on stderr and exit code 2 for a command-line or configuration mistake: never a stack trace.
if (!CommandLine.TryParse(args, Environment.GetEnvironmentVariable, out var commandLine, out var argumentError))
{
    Console.Error.WriteLine("aotvector: " + argumentError);
    return 2;
}

switch (commandLine!.Action)
{
    case CommandLineAction.Help:
        Console.Out.Write(CommandLine.Usage(ServerHost.Version));
        return 0;
    case CommandLineAction.Version:
        Console.Out.WriteLine("aotvector " + ServerHost.Version);
        return 0;
}

var loaded = SettingsLoader.LoadForProcess(args);
if (!loaded.TryGet(out var settings, out var error))
{
    Console.Error.WriteLine("aotvector: configuration error: " + error.Message);
    return 2;
}

var warnings = commandLine.Warnings.ToList();
if (!settings.Settings.Cluster.Enabled && (commandLine.Uri is not null || commandLine.Bootstrap is not null))
{
    // As the reference: a standalone server does not read them.
    warnings.Add("--uri and --bootstrap (QDRANT_URI, QDRANT_BOOTSTRAP) have no effect: cluster.enabled is false");
}

return await ServerHost.RunAsync(settings.WithWarnings(warnings), commandLine.Snapshots, commandLine.Uri, commandLine.Bootstrap).ConfigureAwait(false);
