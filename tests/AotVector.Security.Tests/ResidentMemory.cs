using System.Globalization;

namespace AotVector.Security.Tests;

/// <summary>
/// A process's resident memory from /proc: the current size and the peak since the last reset. Resetting the peak
/// (writing 5 to clear_refs) lets a test read the exact high-water mark of one scenario instead of sampling.
/// </summary>
internal sealed class ResidentMemory(int processId)
{
    public const long MiB = 1024 * 1024;

    public long Current => Read("VmRSS:");

    public long Peak => Read("VmHWM:");

    /// <summary>Starts a new peak at the current size; false where the kernel does not allow it (then Peak is the lifetime peak).</summary>
    public bool ResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private long Read(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"{field} not found in /proc/{processId}/status");
    }
}
