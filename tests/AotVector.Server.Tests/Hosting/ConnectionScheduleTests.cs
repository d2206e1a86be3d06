using System.Diagnostics;
using AotVector.Server.Hosting;

namespace AotVector.Server.Tests.Hosting;

public sealed class ConnectionScheduleTests
{
    private static readonly long Quick = Stopwatch.Frequency / 10_000; // 0.1 ms

    [Fact]
    public void OneAtATimeShortReads_GoInlineAfterCalmRequests()
    {
        var schedule = new ConnectionSchedule();
        for (var i = 0; i < ConnectionSchedule.CalmRequests; i++)
        {
            Assert.False(schedule.Begin(shortRead: true), $"request {i} is handed over while the connection is watched");
            schedule.End(ranInline: false, Quick);
        }

        Assert.True(schedule.IsInline);
        Assert.True(schedule.Begin(shortRead: true));
        schedule.End(ranInline: true, Quick);
    }

    [Fact]
    public void OtherRequests_NeverRunInline()
    {
        var schedule = CalmSchedule();
        Assert.False(schedule.Begin(shortRead: false));
        schedule.End(ranInline: false, Quick);
        Assert.True(schedule.IsInline, "a write handed over does not end inline reads");
    }

    [Fact]
    public void Overlap_SendsTheConnectionBackToHandingOver()
    {
        var schedule = CalmSchedule();
        Assert.False(schedule.Begin(shortRead: false)); // e.g. an upsert still running on the pool
        Assert.False(schedule.Begin(shortRead: true), "a second request while the first runs: multiplexed");
        Assert.False(schedule.IsInline);
        schedule.End(ranInline: false, Quick);
        schedule.End(ranInline: false, Quick);

        // It has to earn inline again from scratch.
        for (var i = 0; i < ConnectionSchedule.CalmRequests - 1; i++)
        {
            Assert.False(schedule.Begin(shortRead: true));
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
            var inline = schedule.Begin(shortRead: true);
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
        Assert.True(schedule.Begin(shortRead: true));
        schedule.End(ranInline: true, ConnectionSchedule.SlowInlineTicks + 1);
        Assert.False(schedule.IsInline);
        Assert.False(schedule.Begin(shortRead: true));
        schedule.End(ranInline: false, Quick);

        // A slow request that was handed over anyway says nothing about the socket thread.
        schedule = CalmSchedule();
        Assert.False(schedule.Begin(shortRead: false));
        schedule.End(ranInline: false, 100 * ConnectionSchedule.SlowInlineTicks);
        Assert.True(schedule.IsInline);
    }

    private static ConnectionSchedule CalmSchedule()
    {
        var schedule = new ConnectionSchedule();
        for (var i = 0; i < ConnectionSchedule.CalmRequests; i++)
        {
            schedule.End(schedule.Begin(shortRead: true), Quick);
        }

        Assert.True(schedule.IsInline);
        return schedule;
    }
}
