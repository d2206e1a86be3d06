using System.Text.Json;
using AotVector.Server.Hosting;

namespace AotVector.Server.Tests.Hosting;

/// <summary>The /telemetry and /cluster results as their generated contracts write them, byte for byte.</summary>
public sealed class TelemetryJsonTests
{
    [Fact]
    public void Telemetry_Global_HasId()
    {
        var telemetry = new TelemetryDto("node-1", new AppTelemetryDto("aotvector", "0.1.0", "AVX2", 1.5), new CollectionsTelemetryDto(3));
        Assert.Equal(
            """{"id":"node-1","app":{"name":"aotvector","version":"0.1.0","simd":"AVX2","uptime_seconds":1.5},"collections":{"number_of_collections":3}}""",
            JsonSerializer.Serialize(telemetry, ServerJsonContext.Default.TelemetryDto));
    }

    [Fact]
    public void Telemetry_Scoped_LeavesIdOut()
    {
        var telemetry = new TelemetryDto(null, new AppTelemetryDto("aotvector", "0.1.0", "AVX2", 0), new CollectionsTelemetryDto(1));
        Assert.Equal(
            """{"app":{"name":"aotvector","version":"0.1.0","simd":"AVX2","uptime_seconds":0},"collections":{"number_of_collections":1}}""",
            JsonSerializer.Serialize(telemetry, ServerJsonContext.Default.TelemetryDto));
    }

    [Fact]
    public void Cluster_Standalone() =>
        Assert.Equal("""{"status":"disabled"}""", JsonSerializer.Serialize(new ClusterStatusDto("disabled"), ServerJsonContext.Default.ClusterStatusDto));
}
