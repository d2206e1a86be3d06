using System.Net;
using AotVector.Server.Security;

namespace AotVector.Server.Tests.Security;

public sealed class AuthThrottleTests
{
    private static readonly DateTimeOffset s_start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress s_client = IPAddress.Parse("192.0.2.10");

    private static (AuthThrottle Throttle, ManualTime Time) Create(int limit = 3, int windowSec = 60, int capacity = AuthThrottle.DefaultCapacity)
    {
        var time = new ManualTime(s_start);
        return (new AuthThrottle(limit, TimeSpan.FromSeconds(windowSec), time, capacity), time);
    }

    private static void Fail(AuthThrottle throttle, IPAddress address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            throttle.RecordFailure(address);
        }
    }

    [Fact]
    public void Address_is_refused_from_the_limit_on_for_one_window()
    {
        var (throttle, time) = Create(limit: 3, windowSec: 60);
        Fail(throttle, s_client, 2);
        Assert.False(throttle.IsBlocked(s_client, out _));

        time.Advance(TimeSpan.FromSeconds(10));
        throttle.RecordFailure(s_client);
        Assert.True(throttle.IsBlocked(s_client, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(60), retryAfter);

        time.Advance(TimeSpan.FromSeconds(45));
        Assert.True(throttle.IsBlocked(s_client, out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(15), retryAfter);

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.False(throttle.IsBlocked(s_client, out _));
    }

    [Fact]
    public void After_a_refusal_the_count_starts_again()
    {
        var (throttle, time) = Create(limit: 3);
        Fail(throttle, s_client, 3);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(throttle.IsBlocked(s_client, out _));

        Fail(throttle, s_client, 2);
        Assert.False(throttle.IsBlocked(s_client, out _));
        throttle.RecordFailure(s_client);
        Assert.True(throttle.IsBlocked(s_client, out _));
    }

    [Fact]
    public void Failures_in_separate_windows_do_not_add_up()
    {
        var (throttle, time) = Create(limit: 3, windowSec: 60);
        Fail(throttle, s_client, 2);
        time.Advance(TimeSpan.FromSeconds(60));
        Fail(throttle, s_client, 2);
        Assert.False(throttle.IsBlocked(s_client, out _));
        time.Advance(TimeSpan.FromSeconds(59));
        throttle.RecordFailure(s_client);
        Assert.True(throttle.IsBlocked(s_client, out _));
    }

    [Fact]
    public void Addresses_are_counted_apart_and_ipv6_by_its_64_bit_prefix()
    {
        var (throttle, _) = Create(limit: 2);
        Fail(throttle, IPAddress.Parse("2001:db8:1:2::1"), 1);
        throttle.RecordFailure(IPAddress.Parse("2001:db8:1:2:ffff::7"));
        Assert.True(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:2::99"), out _));
        Assert.False(throttle.IsBlocked(IPAddress.Parse("2001:db8:1:3::1"), out _));

        Fail(throttle, IPAddress.Parse("192.0.2.1"), 1);
        Fail(throttle, IPAddress.Parse("192.0.2.2"), 1);
        Assert.False(throttle.IsBlocked(IPAddress.Parse("192.0.2.1"), out _));

        // The same IPv4 client seen over an IPv6 socket is the same client.
        throttle.RecordFailure(IPAddress.Parse("::ffff:192.0.2.1"));
        Assert.True(throttle.IsBlocked(IPAddress.Parse("192.0.2.1"), out _));
    }

    [Fact]
    public void A_request_without_an_address_is_never_counted_or_refused()
    {
        var (throttle, _) = Create(limit: 1);
        throttle.RecordFailure(null);
        Assert.False(throttle.IsBlocked(null, out _));
        Assert.Equal(0, throttle.TrackedAddresses);
    }

    [Fact]
    public void Table_empties_again_once_failures_stop()
    {
        var (throttle, time) = Create(limit: 5, windowSec: 60);
        for (var i = 0; i < 100; i++)
        {
            throttle.RecordFailure(Address(i));
        }

        Assert.Equal(100, throttle.TrackedAddresses);
        time.Advance(TimeSpan.FromSeconds(61));
        throttle.RecordFailure(s_client);
        Assert.Equal(1, throttle.TrackedAddresses);
    }

    [Fact]
    public void A_flood_from_many_addresses_stays_within_the_capacity_and_keeps_refusals()
    {
        var (throttle, time) = Create(limit: 3, windowSec: 60, capacity: 64);
        Fail(throttle, s_client, 3);
        Assert.True(throttle.IsBlocked(s_client, out _));

        for (var i = 0; i < 10_000; i++)
        {
            throttle.RecordFailure(Address(i));
            Assert.InRange(throttle.TrackedAddresses, 1, throttle.Capacity);
        }

        // Addresses still counting were evicted to make room; the refused one was not.
        Assert.True(throttle.IsBlocked(s_client, out _));
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.False(throttle.IsBlocked(s_client, out _));
    }

    [Fact]
    public void A_table_full_of_refused_addresses_counts_no_new_ones_until_a_refusal_ends()
    {
        var (throttle, time) = Create(limit: 1, windowSec: 60, capacity: 8);
        for (var i = 0; i < 8; i++)
        {
            throttle.RecordFailure(Address(i));
        }

        Assert.Equal(8, throttle.TrackedAddresses);
        throttle.RecordFailure(s_client);
        Assert.False(throttle.IsBlocked(s_client, out _));
        Assert.True(throttle.IsBlocked(Address(0), out _));

        time.Advance(TimeSpan.FromSeconds(60));
        throttle.RecordFailure(s_client);
        Assert.True(throttle.IsBlocked(s_client, out _));
        Assert.InRange(throttle.TrackedAddresses, 1, 8);
    }

    private static IPAddress Address(int i) => new([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
}
