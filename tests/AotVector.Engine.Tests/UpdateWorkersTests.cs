namespace AotVector.Engine.Tests;

public sealed class UpdateWorkersTests
{
    [Fact]
    public async Task Run_ExecutesOnAWorkerThread_AndHandsBackTheResult()
    {
        using var workers = new UpdateWorkers(2);
        var (onPool, name) = await workers.Run(() => (Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
        Assert.False(onPool);
        Assert.StartsWith("aotvector update", name);
    }

    [Fact]
    public async Task Run_HandsAnExceptionToTheCaller()
    {
        using var workers = new UpdateWorkers(1);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => workers.Run<int>(() => throw new InvalidDataException("bad entry")));
        Assert.Equal("bad entry", e.Message);
        Assert.Equal(7, await workers.Run(() => 7)); // the worker survived it
    }

    [Fact]
    public async Task Dispose_FinishesQueuedWork_AndLaterWorkRunsOnTheCaller()
    {
        var workers = new UpdateWorkers(1);
        using var release = new ManualResetEventSlim();
        var blocked = workers.Run(() => release.Wait(TimeSpan.FromMinutes(1)));
        var queued = Enumerable.Range(0, 3).Select(i => workers.Run(() => i * 10)).ToArray();
        var disposing = Task.Run(workers.Dispose);
        release.Set();
        await disposing;

        Assert.True(await blocked);
        var results = await Task.WhenAll(queued);
        Assert.Equal(new[] { 0, 10, 20 }, results);
        var caller = Environment.CurrentManagedThreadId;
        var after = workers.Run(() => Environment.CurrentManagedThreadId);
        Assert.True(after.IsCompleted);
        Assert.Equal(caller, await after);
    }
}
