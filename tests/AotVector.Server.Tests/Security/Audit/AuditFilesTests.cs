using AotVector.Server.Config;
using AotVector.Server.Security.Audit;
using AotVector.Testing;

namespace AotVector.Server.Tests.Security.Audit;

public sealed class AuditFilesTests : IDisposable
{
    private static readonly DateTimeOffset s_start = new(2025, 6, 1, 22, 30, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new("audit");

    public void Dispose() => _dir.Dispose();

    private string[] Names() => Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static byte[] Line(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\n");

    [Fact]
    public void Names_follow_the_rotation_in_utc()
    {
        Assert.Equal("audit.2025-06-01.log", AuditFiles.NameFor(s_start, AuditRotation.Daily));
        Assert.Equal("audit.2025-06-01-22.log", AuditFiles.NameFor(s_start, AuditRotation.Hourly));
        Assert.Equal("audit.2025-06-02-00.log", AuditFiles.NameFor(new DateTimeOffset(2025, 6, 1, 19, 0, 0, TimeSpan.FromHours(-5)), AuditRotation.Hourly));
    }

    [Fact]
    public void Only_our_own_names_count_as_audit_files()
    {
        Assert.True(AuditFiles.IsAuditFileName("audit.2025-06-01.log"));
        Assert.True(AuditFiles.IsAuditFileName("audit.2025-06-01-23.log"));
        Assert.False(AuditFiles.IsAuditFileName("audit.2025-06-01-24.log"));
        Assert.False(AuditFiles.IsAuditFileName("audit.important.log"));
        Assert.False(AuditFiles.IsAuditFileName("audit.2025-13-01.log"));
        Assert.False(AuditFiles.IsAuditFileName("myaudit.2025-06-01.log"));
    }

    [Fact]
    public void Lines_go_to_the_file_of_their_period_and_old_files_are_pruned()
    {
        File.WriteAllText(_dir.Combine("audit.notes.log"), "mine");
        File.WriteAllText(_dir.Combine("audit.2020-01-01.log"), "old");
        using (var files = new AuditFiles(_dir.Path, AuditRotation.Daily, maxFiles: 3))
        {
            files.Open(s_start);
            for (var day = 0; day < 5; day++)
            {
                files.Write(Line("day " + day), s_start.AddDays(day));
            }
        }

        Assert.Equal(["audit.2025-06-03.log", "audit.2025-06-04.log", "audit.2025-06-05.log", "audit.notes.log"], Names());
        Assert.Equal("day 4\n", File.ReadAllText(_dir.Combine("audit.2025-06-05.log")));
    }

    [Fact]
    public void A_late_line_goes_to_the_newer_file_and_a_restart_appends()
    {
        using (var files = new AuditFiles(_dir.Path, AuditRotation.Hourly, maxFiles: 7))
        {
            files.Open(s_start);
            files.Write(Line("a"), s_start);
            files.Write(Line("b"), s_start.AddHours(1));
            files.Write(Line("late"), s_start.AddMinutes(59));
        }

        using (var files = new AuditFiles(_dir.Path, AuditRotation.Hourly, maxFiles: 7))
        {
            files.Open(s_start.AddHours(1));
            files.Write(Line("after restart"), s_start.AddHours(1));
        }

        Assert.Equal(["audit.2025-06-01-22.log", "audit.2025-06-01-23.log"], Names());
        Assert.Equal("a\n", File.ReadAllText(_dir.Combine("audit.2025-06-01-22.log")));
        Assert.Equal("b\nlate\nafter restart\n", File.ReadAllText(_dir.Combine("audit.2025-06-01-23.log")));
    }

    [Fact]
    public void Max_files_of_zero_keeps_the_current_file()
    {
        using var files = new AuditFiles(_dir.Path, AuditRotation.Daily, maxFiles: 0);
        files.Open(s_start);
        files.Write(Line("x"), s_start.AddDays(1));
        files.Flush();

        Assert.Equal(["audit.2025-06-02.log"], Names());
    }
}
