namespace AotVector.Protocol.Rest.Threading;

/// <summary>
/// Marks a request the server has chosen to run on the socket thread it arrived on (a short read from a client
/// that sends one request at a time): a front end that would otherwise <see cref="IoThread.LeaveAsync"/> after
/// reading the body stays. Set as an HTTP feature by the server's first middleware, read by the front ends.
/// </summary>
public sealed class StayOnIoThread
{
    public static readonly StayOnIoThread Instance = new();

    private StayOnIoThread()
    {
    }
}
