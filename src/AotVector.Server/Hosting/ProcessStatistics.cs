using System.Diagnostics;
using System.Globalization;

namespace AotVector.Server.Hosting;

/// <summary>
/// The process as the reference's /metrics and /telemetry show it: start time, memory, and on Linux what procfs
/// tells (threads, mappings, file descriptors, page faults). A value procfs does not give is left out, never guessed.
/// </summary>
internal static class ProcessStatistics
{
    /// <summary>When this process started (from the kernel, not from the first request that asked).</summary>
    public static readonly DateTimeOffset StartedAt = ReadStart();

    public static double UptimeSeconds => Math.Max(0, (DateTimeOffset.UtcNow - StartedAt).TotalSeconds);

    private static DateTimeOffset ReadStart()
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            return new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            // Without a start time from the OS, this class's first use (at startup) is the closest moment known.
            return DateTimeOffset.UtcNow;
        }
    }

    /// <summary>
    /// The reference reports its allocator's counters (jemalloc). Ours, from the garbage collector and the kernel:
    /// allocated = managed heap in use, active = managed heap including its free fragments, metadata = memory the
    /// collector has committed beyond the heap, resident = resident set size (mapped files included), retained =
    /// memory the collector has committed in all.
    /// </summary>
    public static MemoryFigures Memory()
    {
        var gc = GC.GetGCMemoryInfo();
        var heap = gc.HeapSizeBytes;
        var committed = gc.TotalCommittedBytes;
        return new MemoryFigures(
            Active: heap,
            Allocated: Math.Max(0, heap - gc.FragmentedBytes),
            Metadata: Math.Max(0, committed - heap),
            Resident: Environment.WorkingSet,
            Retained: committed);
    }

    public static ProcFigures? Proc()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name, which is in parentheses and may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            return new ProcFigures(
                Threads: Field(20),
                OpenMmaps: File.ReadLines("/proc/self/maps").LongCount(),
                SystemMaxMmaps: long.TryParse(File.ReadAllText("/proc/sys/vm/max_map_count").Trim(), out var max) ? max : null,
                OpenFds: Directory.EnumerateFileSystemEntries("/proc/self/fd").LongCount(),
                MaxFds: MaxOpenFiles(),
                MinorFaults: Field(10) + Field(11),
                MajorFaults: Field(12) + Field(13));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    // The lower of the soft and hard limits, 0 when both are unlimited (as the reference reports it).
    private static long MaxOpenFiles()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                long? Limit(string s) => long.TryParse(s, out var v) ? v : null;
                return (Limit(parts[0]), Limit(parts[1])) switch
                {
                    ({ } soft, { } hard) => Math.Min(soft, hard),
                    ({ } soft, null) => soft,
                    (null, { } hard) => hard,
                    _ => 0,
                };
            }
        }

        return 0;
    }
}

internal sealed record MemoryFigures(long Active, long Allocated, long Metadata, long Resident, long Retained);

internal sealed record ProcFigures(long Threads, long OpenMmaps, long? SystemMaxMmaps, long OpenFds, long MaxFds, long MinorFaults, long MajorFaults);
