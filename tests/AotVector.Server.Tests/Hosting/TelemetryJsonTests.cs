using System.Text;
using System.Text.Json;
using AotVector.Server.Hosting;

namespace AotVector.Server.Tests.Hosting;

/// <summary>The /cluster contract, the Prometheus text writer and the telemetry anonymizer.</summary>
public sealed class TelemetryJsonTests
{
    [Fact]
    public void Cluster_Standalone() =>
        Assert.Equal("""{"status":"disabled"}""", JsonSerializer.Serialize(new ClusterStatusDto("disabled"), ServerJsonContext.Default.ClusterStatusDto));

    [Fact]
    public void Prometheus_family_with_escaped_labels_and_an_empty_family_left_out()
    {
        var sb = new StringBuilder();
        var text = new PrometheusText(sb);
        text.Family("collection_points", "approximate amount of points per collection", "gauge", [(12, [("id", "a\"b\\c")])]);
        text.Family("collection_vectors", "amount of vectors grouped by vector name", "gauge", []);
        Assert.Equal(
            "# HELP collection_points approximate amount of points per collection\n# TYPE collection_points gauge\ncollection_points{id=\"a\\\"b\\\\c\"} 12\n",
            sb.ToString());
    }

    [Fact]
    public void Prometheus_histogram_has_cumulative_buckets_inf_sum_and_count()
    {
        var sb = new StringBuilder();
        new PrometheusText(sb).Histogram("rest_responses_duration_seconds", "response duration histogram",
            [([("status", "200")], [0.001, 0.005], [1, 3], 0.0125, 4)]);
        Assert.Equal(
            "# HELP rest_responses_duration_seconds response duration histogram\n# TYPE rest_responses_duration_seconds histogram\n"
            + "rest_responses_duration_seconds_bucket{status=\"200\",le=\"0.001\"} 1\n"
            + "rest_responses_duration_seconds_bucket{status=\"200\",le=\"0.005\"} 3\n"
            + "rest_responses_duration_seconds_bucket{status=\"200\",le=\"+Inf\"} 4\n"
            + "rest_responses_duration_seconds_sum{status=\"200\"} 0.0125\n"
            + "rest_responses_duration_seconds_count{status=\"200\"} 4\n",
            sb.ToString());
    }

    [Fact]
    public void Duration_statistics_count_every_response_into_its_bucket()
    {
        var stats = new DurationStatistics();
        var now = DateTimeOffset.UnixEpoch;
        stats.Add(0.0005, now);
        stats.Add(0.003, now);
        stats.Add(100, now);
        var s = stats.Snapshot();
        Assert.Equal(3, s.Count);
        Assert.Equal(0.0005, s.MinSeconds);
        Assert.Equal(100, s.MaxSeconds);
        Assert.Equal([1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], s.CumulativeBuckets);
    }

    [Fact]
    public void Anonymizer_hashes_names_stably_and_rounds_large_counts()
    {
        var anon = new Anonymizer(true);
        Assert.Equal(anon.Name("books"), anon.Name("books"));
        Assert.NotEqual("books", anon.Name("books"));
        Assert.Equal(1234UL, anon.Count(1234));
        Assert.Equal(12_345_000UL, anon.Count(12_345_678));
        Assert.Equal(98_760UL, anon.Count(98_765));
        Assert.Equal("books", new Anonymizer(false).Name("books"));
    }
}
