using System.Text.Json;
using AotVector.Server.Security;
using AotVector.Server.Security.Audit;

namespace AotVector.Server.Tests.Security.Audit;

public sealed class AuditLineTests
{
    private static readonly DateTimeOffset s_time = new(2025, 6, 1, 12, 34, 56, 789, TimeSpan.Zero);

    [Fact]
    public void Full_entry_has_the_fields_in_order()
    {
        var entry = new AuditEntry(s_time.AddTicks(1234), "PUT", "/collections/{name}", AuthMechanism.Jwt, "alice", "192.0.2.7", "docs", "req-1", Denied: true, "Forbidden: Access to collection docs is required");

        Assert.Equal(
            """{"timestamp":"2025-06-01T12:34:56.789123Z","method":"PUT","api":"/collections/{name}","auth_type":"Jwt","subject":"alice","remote":"192.0.2.7","collection":"docs","tracing_id":"req-1","result":"denied","error":"Forbidden: Access to collection docs is required"}""",
            AuditLine.Format(entry));
    }

    [Fact]
    public void Absent_fields_are_left_out()
    {
        var entry = new AuditEntry(s_time, "grpc", "/qdrant.Collections/Create", AuthMechanism.ApiKey, null, null, "c", null, Denied: false, null);

        Assert.Equal(
            """{"timestamp":"2025-06-01T12:34:56.789000Z","method":"grpc","api":"/qdrant.Collections/Create","auth_type":"ApiKey","collection":"c","result":"ok"}""",
            AuditLine.Format(entry));
    }

    [Fact]
    public void Timestamps_are_written_in_utc()
    {
        var entry = new AuditEntry(new DateTimeOffset(2025, 6, 1, 14, 0, 0, TimeSpan.FromHours(2)), "GET", null, AuthMechanism.None, null, null, null, null, Denied: true, "x");

        Assert.StartsWith("""{"timestamp":"2025-06-01T12:00:00.000000Z","method":"GET","auth_type":"None",""", AuditLine.Format(entry));
    }

    [Fact]
    public void Client_chosen_values_cannot_break_the_line_and_are_clipped()
    {
        var injected = "abc\n{\"result\":\"ok\"}\r\u0000" + new string('x', 2000);
        var entry = new AuditEntry(s_time, "GET", "/collections", AuthMechanism.None, null, injected, null, injected, Denied: true, injected);

        var line = AuditLine.Format(entry);

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("denied", root.GetProperty("result").GetString());
        Assert.Equal(AuditLine.MaxValueChars, root.GetProperty("tracing_id").GetString()!.Length);
        Assert.Equal(AuditLine.MaxValueChars, root.GetProperty("remote").GetString()!.Length);
        Assert.Equal(AuditLine.MaxErrorChars, root.GetProperty("error").GetString()!.Length);
        Assert.StartsWith("abc\n{", root.GetProperty("tracing_id").GetString());
    }

    [Fact]
    public void Clipping_never_splits_a_surrogate_pair_and_lone_surrogates_are_replaced()
    {
        var emoji = "\U0001F600";
        Assert.Equal(new string('a', 3), AuditLine.Clip(new string('a', 3) + emoji, 4));
        Assert.Equal("a" + emoji, AuditLine.Clip("a" + emoji + "b", 3));
        Assert.Equal("a\uFFFDb", AuditLine.Clip("a\uD800b", 10));
        Assert.Equal("\uFFFDa", AuditLine.Clip("\uDC00a", 10));

        var entry = new AuditEntry(s_time, "GET", null, AuthMechanism.Jwt, "x\uD800", null, null, null, Denied: true, null);
        Assert.Contains("\"subject\":\"x\\uFFFD\"", AuditLine.Format(entry));
    }
}
