using System.Runtime.InteropServices;

namespace AotVector.Storage.Threads;

/// <summary>
/// Lowers the calling thread's CPU priority (its Linux nice value), for background work such as graph builds, so that
/// on busy cores the scheduler runs searches and writes first and gives the rest to the background thread. Threads the
/// caller starts afterwards inherit the value. .NET's <see cref="Thread.Priority"/> has no effect on Linux.
/// </summary>
public static partial class BackgroundPriority
{
    // PRIO_PROCESS with a thread id sets that one thread's nice value on Linux.
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value to <paramref name="nice"/> (0 to 19); false where not supported.</summary>
    public static bool Lower(int nice)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SetPriority(PrioProcess, GetTid(), Math.Clamp(nice, 0, 19)) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // a libc without gettid
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}
