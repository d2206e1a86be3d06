using System.Collections.Concurrent;

namespace AotVector.Engine;

/// <summary>
/// Threads of their own for updates, which block: on the shard's writer gate while a flush or a swap holds it, on
/// the write lock, and on the WAL fsync when the client waits. On the thread pool, a few clients uploading
/// at once held every pool thread there (2 on 2 cores), and searches' pool work, such as writing HTTP/2 answers, waited
/// for the pool to grow. Qdrant applies updates on an update worker too. The caller awaits with no thread held, and
/// its continuation runs on the pool, not here, so the next update is not held up by answering this one.
/// </summary>
internal sealed class UpdateWorkers : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new(new ConcurrentQueue<Action>());
    private readonly Thread[] _threads;

    public UpdateWorkers(int count)
    {
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = "aotvector update " + i };
            _threads[i].Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a worker; after <see cref="Dispose"/>, on the calling thread.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Item()
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }

        try
        {
            if (_queue.TryAdd(Item))
            {
                return done.Task;
            }
        }
        catch (InvalidOperationException)
        {
            // Closed: the engine is shutting down, and the work meets the closed collections itself.
        }

        Item();
        return done.Task;
    }

    /// <summary>Lets queued work finish, then ends the threads.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            item();
        }
    }
}
