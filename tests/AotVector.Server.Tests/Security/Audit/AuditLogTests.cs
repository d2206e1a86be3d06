using System.Text.Json;
using AotVector.Server.Config;
using AotVector.Server.Security;
using AotVector.Server.Security.Audit;
using AotVector.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AotVector.Server.Tests.Security.Audit;

public sealed class AuditLogTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new("auditlog");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Lines_are_written_by_the_writer_and_flushed_on_dispose()
    {
        var settings = new AuditSettings { Enabled = true };
        var opened = AuditLog.Open(settings, _dir.Combine("audit"), new ManualTime(s_start), NullLogger.Instance);
        Assert.True(opened.IsOk);
        string path;
        using (var log = opened.Value)
        {
            path = log.CurrentPath!;
            for (var i = 0; i < 100; i++)
            {
                log.Write(new AuditEntry(s_start, "GET", "/collections", AuthMechanism.None, null, "192.0.2.1", null, "t" + i, Denied: true, "Invalid API key or JWT"));
            }
        }

        Assert.Equal(_dir.Combine("audit", "audit.2025-06-01.log"), path);
        var lines = File.ReadAllLines(path);
        Assert.Equal(100, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal("t" + i, json.RootElement.GetProperty("tracing_id").GetString());
        }
    }

    [Fact]
    public void A_line_that_finds_no_room_is_dropped_counted_and_warned_about_once()
    {
        var logger = new CapturingLogger();
        var log = AuditLog.Open(new AuditSettings { Enabled = true }, _dir.Combine("audit"), new ManualTime(s_start), logger).Value!;
        log.Dispose();
        var before = SecurityMetrics.AuditDropped;

        // After shutdown the queue takes nothing, as when it is full: the caller never waits.
        for (var i = 0; i < 3; i++)
        {
            log.Write(new AuditEntry(s_start, "GET", "/collections", AuthMechanism.None, null, null, null, null, Denied: true, "x"));
        }

        Assert.True(SecurityMetrics.AuditDropped - before >= 3);
        var warning = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("audit_lines_dropped_total", warning.Message);
    }

    [Fact]
    public void A_directory_that_cannot_be_created_is_an_error_naming_it()
    {
        File.WriteAllText(_dir.Combine("file"), "not a directory");
        var dir = _dir.Combine("file", "audit");

        var opened = AuditLog.Open(new AuditSettings { Enabled = true }, dir, TimeProvider.System, NullLogger.Instance);

        Assert.False(opened.IsOk);
        Assert.StartsWith($"audit.dir: cannot open the audit log in '{dir}': ", opened.Error.Message);
        Assert.DoesNotContain('\n', opened.Error.Message);
    }
}
