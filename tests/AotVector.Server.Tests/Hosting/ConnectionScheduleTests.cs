using System.Diagnostics;
using AotVector.Server.Hosting;

namespace AotVector.Server.Tests.Hosting;

public sealed class ConnectionScheduleTests
{
    private static readonly long Quick = Stopwatch.Frequency / 10_000; // 0.1 ms

    // Each test has its own socket thread (slot) and clock: the real ones are per thread and wall time.
    private readonly InlineSlot _slot = new();
    private long _now = 1_000_000;

    private bool Begin(ConnectionSchedule schedule, bool shortRead, InlineSlot? slot = null) => schedule.Begin(shortRead, slot ?? _slot, _now += Quick);

    [Fact]
    public void OneAtATimeShortReads_GoInlineAfterCalmRequests()
    {
        var schedule = new ConnectionSchedule();
        for (var i = 0; i < ConnectionSchedule.CalmRequests; i++)
        {
            Assert.False(Begin(schedule, shortRead: true), $"request {i} is handed over while the connection is watched");
            schedule.End(ranInline: false, Quick);
        }

        Assert.True(schedule.IsInline);
        Assert.True(Begin(schedule, shortRead: true));
        schedule.End(ranInline: true, Quick);
    }

    [Fact]
    public void OtherRequests_NeverRunInline()
    {
        var schedule = CalmSchedule();
        Assert.False(Begin(schedule, shortRead: false));
        schedule.End(ranInline: false, Quick);
        Assert.True(schedule.IsInline, "a write handed over does not end inline reads");
    }

    [Fact]
    public void Overlap_SendsTheConnectionBackToHandingOver()
    {
        var schedule = CalmSchedule();
        Assert.False(Begin(schedule, shortRead: false)); // e.g. an upsert still running on the pool
        Assert.False(Begin(schedule, shortRead: true), "a second request while the first runs: multiplexed");
        Assert.False(schedule.IsInline);
        schedule.End(ranInline: false, Quick);
        schedule.End(ranInline: false, Quick);

        // It has to earn inline again from scratch.
        for (var i = 0; i < ConnectionSchedule.CalmRequests - 1; i++)
        {
            Assert.False(Begin(schedule, shortRead: true));
            schedule.End(ranInline: false, Quick);
        }

        Assert.False(schedule.IsInline);
    }

    [Fact]
    public void WhileInline_EveryProbeIntervalthRequestIsHandedOver()
    {
        var schedule = CalmSchedule();
        var handedOver = new List<int>();
        for (var i = 1; i <= 3 * ConnectionSchedule.ProbeInterval; i++)
        {
            var inline = Begin(schedule, shortRead: true);
            if (!inline)
            {
                handedOver.Add(i);
            }

            schedule.End(inline, Quick);
        }

        Assert.Equal([ConnectionSchedule.ProbeInterval, 2 * ConnectionSchedule.ProbeInterval, 3 * ConnectionSchedule.ProbeInterval], handedOver);
        Assert.True(schedule.IsInline, "probes that find no overlap keep the connection inline");
    }

    [Fact]
    public void SlowInlineRequest_SendsTheConnectionBackToHandingOver()
    {
        var schedule = CalmSchedule();
        Assert.True(Begin(schedule, shortRead: true));
        schedule.End(ranInline: true, ConnectionSchedule.SlowInlineTicks + 1);
        Assert.False(schedule.IsInline);
        Assert.False(Begin(schedule, shortRead: true));
        schedule.End(ranInline: false, Quick);

        // A slow request that was handed over anyway says nothing about the socket thread.
        schedule = CalmSchedule();
        Assert.False(Begin(schedule, shortRead: false));
        schedule.End(ranInline: false, 100 * ConnectionSchedule.SlowInlineTicks);
        Assert.True(schedule.IsInline);
    }

    [Fact]
    public void SecondCalmConnectionOnTheSameThread_KeepsHandingOver()
    {
        var first = CalmSchedule();
        var second = CalmSchedule(expectInline: false);
        Assert.Same(first, _slot.Owner);
        for (var i = 0; i < 3 * ConnectionSchedule.ProbeInterval; i++)
        {
            Assert.True(Begin(first, shortRead: true) || i % ConnectionSchedule.ProbeInterval == ConnectionSchedule.ProbeInterval - 1);
            first.End(ranInline: true, Quick);
            Assert.False(Begin(second, shortRead: true), $"request {i} of the second connection waits for the thread");
            second.End(ranInline: false, Quick);
        }

        // On another socket thread the second connection has a slot of its own.
        var otherThread = new InlineSlot();
        Assert.False(Begin(second, shortRead: true, otherThread), "the request that claims the slot is still handed over");
        second.End(ranInline: false, Quick);
        Assert.True(Begin(second, shortRead: true, otherThread));
        second.End(ranInline: true, Quick);
    }

    [Fact]
    public void SlotIsFreed_WhenTheOwnerStopsRunningInline()
    {
        var first = CalmSchedule();
        var second = CalmSchedule(expectInline: false);

        // The owner sees overlap (a multiplexing client): it hands over from now on, and its slot is free.
        Assert.False(Begin(first, shortRead: false));
        Assert.False(Begin(first, shortRead: true));
        first.End(ranInline: false, Quick);
        first.End(ranInline: false, Quick);
        Assert.False(first.IsInline);

        Assert.False(Begin(second, shortRead: true), "the claiming request is handed over");
        second.End(ranInline: false, Quick);
        Assert.True(second.IsInline);
        Assert.Same(second, _slot.Owner);
        Assert.True(Begin(second, shortRead: true));
        second.End(ranInline: true, Quick);
    }

    [Fact]
    public void SlotIsFreed_WhenTheOwnerGoesIdle_AndTheOwnerThenWaits()
    {
        var first = CalmSchedule();
        var second = CalmSchedule(expectInline: false);

        // The owner sends nothing for longer than the idle limit (it may have closed; connections do not say).
        _now += InlineSlot.IdleTicks + 1;
        Assert.False(Begin(second, shortRead: true));
        second.End(ranInline: false, Quick);
        Assert.Same(second, _slot.Owner);

        // The old owner comes back: the slot is taken and busy, so it hands over until it is free again.
        Assert.False(Begin(first, shortRead: true));
        first.End(ranInline: false, Quick);
        Assert.False(first.IsInline);
        Assert.True(Begin(second, shortRead: true));
        second.End(ranInline: true, Quick);
    }

    private ConnectionSchedule CalmSchedule(bool expectInline = true)
    {
        var schedule = new ConnectionSchedule();
        for (var i = 0; i < ConnectionSchedule.CalmRequests; i++)
        {
            schedule.End(Begin(schedule, shortRead: true), Quick);
        }

        Assert.Equal(expectInline, schedule.IsInline);
        return schedule;
    }
}
