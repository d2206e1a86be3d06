using System.Globalization;
using AotVector.Server.Config;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// The rotating files of the audit log: <c>audit.YYYY-MM-DD.log</c> (daily) or <c>audit.YYYY-MM-DD-HH.log</c>
/// (hourly), by the UTC time of each line, appended to (a restart continues the current file). When a new file
/// starts, the oldest are deleted so that at most <c>max_log_files</c> remain. Only names of that exact form are
/// ever deleted. Used by one writer at a time.
/// </summary>
internal sealed class AuditFiles : IDisposable
{
    private readonly AuditRotation _rotation;
    private readonly int _maxFiles;
    private FileStream? _stream;
    private string? _currentName;

    public AuditFiles(string directory, AuditRotation rotation, int maxFiles)
    {
        Directory = directory;
        _rotation = rotation;
        _maxFiles = Math.Max(1, maxFiles);
    }

    public string Directory { get; }

    /// <summary>The file currently written to, or null before the first <see cref="Open"/>.</summary>
    public string? CurrentPath => _currentName is null ? null : Path.Combine(Directory, _currentName);

    public static string NameFor(DateTimeOffset time, AuditRotation rotation) =>
        "audit." + time.UtcDateTime.ToString(rotation == AuditRotation.Hourly ? "yyyy-MM-dd-HH" : "yyyy-MM-dd", CultureInfo.InvariantCulture) + ".log";

    /// <summary>Whether <paramref name="fileName"/> is one of ours (either rotation), so pruning may delete it.</summary>
    public static bool IsAuditFileName(string fileName)
    {
        // audit. + yyyy-MM-dd (+ -HH) + .log
        var stamp = fileName.Length is 20 or 23 && fileName.StartsWith("audit.", StringComparison.Ordinal) && fileName.EndsWith(".log", StringComparison.Ordinal)
            ? fileName[6..^4]
            : null;
        return stamp is not null
            && DateTime.TryParseExact(stamp, stamp.Length == 10 ? "yyyy-MM-dd" : "yyyy-MM-dd-HH", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>Creates the directory and opens the file for <paramref name="now"/>. Throws IOException or UnauthorizedAccessException.</summary>
    public void Open(DateTimeOffset now)
    {
        System.IO.Directory.CreateDirectory(Directory);
        SwitchTo(NameFor(now, _rotation));
    }

    /// <summary>
    /// Appends <paramref name="line"/> to the file for <paramref name="time"/>. Files only move forward: a line
    /// that arrives after the next period's first one goes to the newer file rather than reopening the older.
    /// </summary>
    public void Write(ReadOnlySpan<byte> line, DateTimeOffset time)
    {
        var name = NameFor(time, _rotation);
        if (_stream is null || string.CompareOrdinal(name, _currentName) > 0)
        {
            SwitchTo(name);
        }

        _stream!.Write(line);
    }

    /// <summary>Hands the written lines to the operating system (no fsync).</summary>
    public void Flush() => _stream?.Flush();

    /// <summary>Deletes the oldest audit files beyond the limit; the current one always stays.</summary>
    public void Prune()
    {
        var names = System.IO.Directory.EnumerateFiles(Directory, "audit.*.log")
            .Select(Path.GetFileName)
            .Where(n => n is not null && IsAuditFileName(n) && n != _currentName)
            .Select(n => n!)
            .OrderDescending(StringComparer.Ordinal)
            .ToList();
        for (var i = _maxFiles - 1; i < names.Count; i++)
        {
            try
            {
                File.Delete(Path.Combine(Directory, names[i]));
            }
            catch (IOException)
            {
                // Gone already, or in use elsewhere: try again at the next rotation.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
    }

    private void SwitchTo(string name)
    {
        _stream?.Flush();
        _stream?.Dispose();
        _stream = null;
        _currentName = name;
        // Readers (log shippers, tests) may open the file while it is written.
        _stream = new FileStream(Path.Combine(Directory, name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 16 * 1024);
        Prune();
    }
}
