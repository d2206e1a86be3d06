using AotVector.Protocol.Rest.Threading;
using Xunit;

namespace AotVector.Protocol.Rest.Tests.Threading;

public sealed class IoThreadTests
{
    [Fact]
    public void A_thread_outside_the_pool_is_left_for_the_pool()
    {
        // A dedicated thread stands in for the socket engine's thread, which is not a pool thread either.
        // Repeated: the hand-over must hold however fast the pool picks the continuation up.
        for (var i = 0; i < 200; i++)
        {
            bool? before = null, after = null;
            var thread = new Thread(() =>
            {
                before = IoThread.LeaveAsync().IsCompleted;
                Continue().GetAwaiter().GetResult();
            });
            thread.Start();
            thread.Join();

            Assert.False(before);
            Assert.True(after);

            async Task Continue()
            {
                await IoThread.LeaveAsync();
                after = Thread.CurrentThread.IsThreadPoolThread;
            }
        }
    }

    [Fact]
    public async Task On_a_pool_thread_it_continues_at_once_on_the_same_thread()
    {
        var (completed, sameThread) = await Task.Run(async () =>
        {
            var id = Environment.CurrentManagedThreadId;
            var completed = IoThread.LeaveAsync().IsCompleted;
            await IoThread.LeaveAsync();
            return (completed, id == Environment.CurrentManagedThreadId);
        });
        Assert.True(completed);
        Assert.True(sameThread);
    }
}
