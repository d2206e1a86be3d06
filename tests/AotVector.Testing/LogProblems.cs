using System.Text.RegularExpressions;

namespace AotVector.Testing;

/// <summary>
/// The lines of a server log that no client input may cause: entries at error or critical level, stack frames
/// and unhandled-exception reports. The server logs one line per entry (a stack trace, when there is one, is
/// folded into its entry's line), so frames are looked for anywhere in a line, not only at its start.
/// </summary>
public static partial class LogProblems
{
    public static IReadOnlyList<string> Find(string log) =>
        log.Split('\n').Where(IsProblem).ToList();

    public static bool IsProblem(string line) =>
        line.Contains(" fail: ", StringComparison.Ordinal)
        || line.Contains(" crit: ", StringComparison.Ordinal)
        || line.StartsWith("fail: ", StringComparison.Ordinal)
        || line.StartsWith("crit: ", StringComparison.Ordinal)
        || line.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase)
        || line.Contains("--- End of stack trace", StringComparison.Ordinal)
        || StackFrame().IsMatch(line);

    /// <summary>"at Namespace.Type.Method(" as .NET prints a frame, JIT ("in file:line") or Native AOT ("+ 0x1f").</summary>
    [GeneratedRegex(@"(^|\s)at [\w.`<>|\[\],]+\(")]
    private static partial Regex StackFrame();
}
