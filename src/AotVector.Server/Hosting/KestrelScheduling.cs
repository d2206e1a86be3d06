using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Hosting.Server;

namespace AotVector.Server.Hosting;

/// <summary>
/// Switches Kestrel's HTTP/2 scheduling to inline: a stream's request pipeline starts on the thread that parsed
/// its HEADERS frame, and the connection's frame writer runs on the thread that completes a response, instead of
/// each being queued to the thread pool. Kestrel has no public option for this (its own tests set the same
/// internal scheduler); on a small box every queued item is a thread wake-up that costs more than the work.
/// <see cref="RequestScheduling"/> decides which requests then leave the socket thread.
/// </summary>
internal static class KestrelScheduling
{
    private const string KestrelCore = "Microsoft.AspNetCore.Server.Kestrel.Core";
    private const string ServerType = "Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerImpl";
    private const string ServiceContextType = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.ServiceContext";

    /// <summary>
    /// Must run before the server starts: connections copy the scheduler when they open. Returns false, and
    /// changes nothing, when the server is not Kestrel or this Kestrel version lacks the member.
    /// </summary>
    public static bool TryUseInline(IServer server)
    {
        if (server.GetType().FullName != ServerType)
        {
            return false;
        }

        try
        {
            SetScheduler(GetServiceContext(server), PipeScheduler.Inline);
            return true;
        }
        catch (Exception e) when (e is MissingMemberException or TypeLoadException)
        {
            return false;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_ServiceContext")]
    [return: UnsafeAccessorType(ServiceContextType + ", " + KestrelCore)]
    private static extern object GetServiceContext([UnsafeAccessorType(ServerType + ", " + KestrelCore)] object server);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "set_Scheduler")]
    private static extern void SetScheduler([UnsafeAccessorType(ServiceContextType + ", " + KestrelCore)] object context, PipeScheduler value);
}
