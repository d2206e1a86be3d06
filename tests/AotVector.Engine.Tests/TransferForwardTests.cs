using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Shards;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Engine.Tests;

/// <summary>
/// A streamed transfer's source forwards the writes it applies to the target: whatever writes happen while the
/// points stream (deletes, payload and vector edits, new points), the target ends with exactly the source's points,
/// also when those writes reach the target directly too, before or after the source, as a coordinator sends them.
/// </summary>
public sealed class TransferForwardTests
{
    private const int Dim = 4;

    private static LocalShard Shard(TempDirectory dir, string name) =>
        LocalShard.Create(dir.Combine(name), 0, new VectorsConfig(new VectorParams(Dim, Distance.Euclid), null), WalConfig.Default, NullLogger.Instance);

    private static PointStruct Point(ulong id, long n, Random rng) =>
        new(PointId.FromNum(id), new Dictionary<string, VectorData> { [""] = SeededRandom.Vector(rng, Dim) }, new Payload { ["n"] = PayloadValue.FromInteger(n) });

    private static Func<UpsertPoints, AvError?> SendTo(LocalShard target) =>
        batch => target.Update(batch, wait: true).TryGet(out _, out var error) ? null : error;

    [Fact]
    public void WritesBetweenBatchesAreNotUndoneByTheStream()
    {
        using var dir = new TempDirectory("forward");
        using var source = Shard(dir, "source");
        using var target = Shard(dir, "target");
        var rng = new Random(11);
        Assert.True(source.Update(new UpsertPoints([.. Enumerable.Range(0, 250).Select(i => Point((ulong)i, i, rng))]), wait: true).IsOk);

        using var forward = source.StartForwarding(target)!;
        Assert.Null(source.StartForwarding(target));
        Assert.Equal(100, forward.SendNext(100, SendTo(target)).Value);

        // Streamed points (5, 6) and points still to come (150, 160) are deleted and edited on the source only.
        Assert.True(source.Update(new DeletePoints(PointsSelector.ByIds([PointId.FromNum(5), PointId.FromNum(150)])), wait: true).IsOk);
        Assert.True(source.Update(new SetPayload(new Payload { ["n"] = PayloadValue.FromInteger(-1) }, PointsSelector.ByIds([PointId.FromNum(6), PointId.FromNum(160)])), wait: true).IsOk);
        Assert.True(source.Update(new UpsertPoints([Point(7, -7, rng), Point(170, -170, rng), Point(900, 900, rng)]), wait: true).IsOk);

        while (!forward.Complete)
        {
            Assert.True(forward.SendNext(100, SendTo(target)).IsOk);
        }

        Assert.Null(forward.Failure);
        AssertSame(source, target);
        Assert.Empty(target.Retrieve([PointId.FromNum(5), PointId.FromNum(150)], WithPayload.None, WithVector.None));
    }

    [Fact]
    public async Task ConcurrentWritesLeaveTheTargetEqualToTheSource()
    {
        using var dir = new TempDirectory("forward-concurrent");
        using var source = Shard(dir, "source");
        using var target = Shard(dir, "target");
        var rng = new Random(23);
        Assert.True(source.Update(new UpsertPoints([.. Enumerable.Range(0, 400).Select(i => Point((ulong)i, i, rng))]), wait: true).IsOk);

        using var forward = source.StartForwarding(target)!;
        var streaming = true;
        var writer = Task.Run(() =>
        {
            // Each write goes to the source and straight to the target (a coordinator writes to both; the target
            // may miss a point the stream has not brought yet, which it ignores), in either order.
            var ops = new Random(5);
            for (var i = 0; Volatile.Read(ref streaming) || i < 50; i++)
            {
                var id = PointId.FromNum((ulong)ops.Next(450));
                UpdateOperation op = ops.Next(4) switch
                {
                    0 => new DeletePoints(PointsSelector.ByIds([id])),
                    1 => new SetPayload(new Payload { ["n"] = PayloadValue.FromInteger(-i) }, PointsSelector.ByIds([id])),
                    2 => new UpdateVectors([new PointVectors(id, new Dictionary<string, VectorData> { [""] = SeededRandom.Vector(ops, Dim) })]),
                    _ => new UpsertPoints([Point(id.Num, 1000 + i, ops)]),
                };
                if (ops.Next(2) == 0)
                {
                    source.Update(op, wait: true);
                    target.Update(op, wait: true);
                }
                else
                {
                    target.Update(op, wait: true);
                    source.Update(op, wait: true);
                }
            }
        });

        while (!forward.Complete)
        {
            Assert.True(forward.SendNext(10, SendTo(target)).IsOk);
        }

        Volatile.Write(ref streaming, false);
        await writer;
        Assert.Null(forward.Failure);
        AssertSame(source, target);
    }

    [Fact]
    public void AfterDisposeWritesAreNoLongerForwarded()
    {
        using var dir = new TempDirectory("forward-stop");
        using var source = Shard(dir, "source");
        using var target = Shard(dir, "target");
        var rng = new Random(3);
        Assert.True(source.Update(new UpsertPoints([Point(1, 1, rng)]), wait: true).IsOk);
        var forward = source.StartForwarding(target)!;
        Assert.Equal(1, forward.SendNext(100, SendTo(target)).Value);
        forward.Dispose();

        Assert.True(source.Update(new UpsertPoints([Point(1, 2, rng)]), wait: true).IsOk);
        Assert.Equal(1, target.Retrieve([PointId.FromNum(1)], WithPayload.All, WithVector.None).Single().Payload!["n"]!.AsInteger);
        Assert.NotNull(source.StartForwarding(target));
    }

    private static void AssertSame(LocalShard source, LocalShard target)
    {
        var ids = source.ScrollIds(null, null, 10_000, CancellationToken.None);
        Assert.Equal(ids, target.ScrollIds(null, null, 10_000, CancellationToken.None));
        var expected = source.Retrieve(ids, WithPayload.All, WithVector.All);
        var actual = target.Retrieve(ids, WithPayload.All, WithVector.All);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Payload!["n"]!.AsInteger, actual[i].Payload!["n"]!.AsInteger);
            Assert.Equal(expected[i].Vectors![""], actual[i].Vectors![""]);
        }
    }
}
