using AotVector.Common.Model;
using AotVector.Engine;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Testing;

namespace AotVector.Engine.Tests;

/// <summary>
/// An engine over a fresh temp directory, reopenable to test recovery. Its clock is <see cref="Time"/>: the background
/// flush and optimizer loops tick only when a test advances it (see <see cref="WaitForBackgroundAsync"/>).
/// </summary>
internal sealed class EngineFixture : IDisposable
{
    private readonly TempDirectory _dir = new("engine");

    public EngineFixture()
    {
        Engine = VectorEngine.Open(EngineOptions.Defaults(_dir.Path), time: Time);
    }

    public VectorEngine Engine { get; private set; }

    public ManualTimeProvider Time { get; } = new();

    /// <summary>
    /// Ticks the background loops (a second of the engine's clock per step) until <paramref name="done"/>. Waiting for
    /// background work is not a timing assertion: the bound only stops a hung test.
    /// </summary>
    public async Task WaitForBackgroundAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within 3 minutes");
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
    }

    public static AccessContext Full => AccessContext.Full;

    public VectorEngine Reopen(bool flushFirst = true)
    {
        if (flushFirst)
        {
            Engine.Dispose();
        }
        else
        {
            // Simulates a crash: drop the engine without flushing segments (the WAL is all that persists).
            Engine.AbandonForTests();
        }

        Engine = VectorEngine.Open(EngineOptions.Defaults(_dir.Path), time: Time);
        return Engine;
    }

    public void CreateCollection(string name, int dim, Distance distance)
    {
        var r = Engine.CreateAsync(Full, new CreateCollectionRequest(name, new VectorsConfig(new VectorParams((ulong)dim, distance), null)), default).AsTask().Result;
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
    }

    public UpdateResult Upsert(string collection, params PointStruct[] points)
    {
        var r = Engine.UpdateAsync(Full, collection, new UpsertPoints(points), new WriteOptions(true), default).AsTask().Result;
        Assert.True(r.IsOk, r.IsOk ? null : r.Error.Message);
        return r.Value;
    }

    public static PointStruct Point(ulong id, float[] vector, Payload? payload = null) =>
        new(id, new Dictionary<string, VectorData> { [""] = vector }, payload);

    public void Dispose()
    {
        Engine.Dispose();
        _dir.Dispose();
    }
}
