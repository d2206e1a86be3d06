namespace AotVector.Server.Hosting;

/// <summary>
/// On SIGTERM the listeners stop accepting and requests already running get <see cref="Timeout"/> to finish; the
/// engine then flushes every collection and closes its files. A request still running past the drain is answered
/// 503 as its collection closes, never with a torn file. Kubernetes waits terminationGracePeriodSeconds (30 s by
/// default) before SIGKILL, so the drain and the final flush together stay well inside it.
/// </summary>
internal static class ShutdownDrain
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static void Configure(IServiceCollection services) =>
        services.Configure<HostOptions>(o => o.ShutdownTimeout = Timeout);
}
