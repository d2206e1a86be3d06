using System.Diagnostics;
using System.Globalization;

namespace AotVector.LoadGen;

/// <summary>CPU seconds of this process and of the server child, and the client connections to a port, read from /proc.</summary>
internal static class ProcessCpu
{
    // USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100.0;

    public static double Self() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>user + system seconds of <paramref name="pid"/> (fields 14 and 15 of /proc/PID/stat).</summary>
    public static double Of(int pid)
    {
        var fields = AfterComm(File.ReadAllText($"/proc/{pid}/stat"));
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>The pid of this process's child named <paramref name="comm"/> (the server ServerProcess started).</summary>
    public static int FindChild(string comm)
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                if (name == comm && AfterComm(stat)[1] == self)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        throw new InvalidOperationException($"no child process named {comm}");
    }

    /// <summary>Established TCP connections whose remote end is 127.0.0.1:<paramref name="port"/> (seen from the client side).</summary>
    public static int EstablishedTo(int port)
    {
        // .NET sockets are dual-mode, so loopback IPv4 connections may show up in tcp6 as ::ffff:127.0.0.1.
        var remote = "0100007F:" + port.ToString("X4", CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 3 && parts[2].EndsWith(remote, StringComparison.Ordinal) && parts[3] == "01")
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>The stat fields after "(comm)": index 0 is state (field 3), 1 is ppid, 11 utime, 12 stime.</summary>
    private static string[] AfterComm(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
}
