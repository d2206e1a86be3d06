using System.Runtime.InteropServices;

namespace AotVector.AnnBench;

/// <summary>The calling thread's CPU time (Linux CLOCK_THREAD_CPUTIME_ID), for per-query cost on a machine shared with other jobs.</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static double Milliseconds() =>
        clock_gettime(ClockThreadCpuTime, out var ts) == 0 ? (ts.Seconds * 1e3) + (ts.Nanoseconds / 1e6) : 0;

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
