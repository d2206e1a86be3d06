using System.Runtime.CompilerServices;

namespace AotVector.Protocol.Rest.Threading;

/// <summary>
/// The server runs Kestrel with inline scheduling: the continuation of a socket read runs on the socket engine's
/// own thread instead of being handed to the thread pool, which saves a thread wake-up per request. Anything that
/// can take long (a WAL fsync, a large body, a slow query) must not run there, or every connection served by
/// that thread waits; the front ends <c>await IoThread.LeaveAsync()</c> before such work. The one exception is
/// decided by the server per request: a short read from a one-at-a-time client stays (<see cref="StayOnIoThread"/>).
/// It lives with the REST front end because REST is the front end that reads its own bodies and so must leave the
/// socket thread itself; the server, above both front ends, decides and also leaves before the gRPC bodies it
/// buffers. Nothing below the front ends knows which thread it runs on.
/// </summary>
public static class IoThread
{
    /// <summary>Continues at once on a pool thread; elsewhere resumes the caller on the thread pool.</summary>
    public static LeaveAwaitable LeaveAsync() => default;

    /// <summary>
    /// An awaitable rather than a task: the decision and the hand-over happen at the await itself, so the caller
    /// can never find the hop already done and carry on where it was.
    /// </summary>
    public readonly struct LeaveAwaitable : ICriticalNotifyCompletion
    {
        public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

        public LeaveAwaitable GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) =>
            ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

        public void UnsafeOnCompleted(Action continuation) =>
            ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
    }
}
