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

// One line on stderr and exit code 2 for a configuration mistake: never a stack trace.
var loaded = SettingsLoader.LoadForProcess(args);
if (!loaded.TryGet(out var settings, out var error))
{
    Console.Error.WriteLine("aotvector: configuration error: " + error.Message);
    return 2;
}

return await ServerHost.RunAsync(settings, args).ConfigureAwait(false);
