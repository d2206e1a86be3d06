using System.Net;
using AotVector.Server.Snapshots;

namespace AotVector.Server.Tests.Snapshots;

public sealed class HttpSnapshotFetcherTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.10.20.30", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("::ffff:169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("10.0.0.1", null)]
    [InlineData("192.168.1.1", null)]
    [InlineData("8.8.8.8", null)]
    [InlineData("2001:db8::1", null)]
    public void LocalKind_NamesTheRefusedRanges(string address, string? expected)
    {
        Assert.Equal(expected, HttpSnapshotFetcher.LocalKind(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task Fetch_Loopback_IsRefusedBeforeConnecting_NamingTheSwitch()
    {
        using var fetcher = new HttpSnapshotFetcher(allowLocal: false, maxBytes: null);
        var destination = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

        var result = await fetcher.FetchAsync(new Uri("http://127.0.0.1:9/s.snapshot"), "k", destination, CancellationToken.None);

        Assert.False(result.TryGet(out _, out var error));
        Assert.Equal(Common.Errors.ErrorKind.Forbidden, error.Kind);
        Assert.Contains("service.snapshot_url_recovery_allow_local", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(destination));
    }
}
