using System.Text;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>What a fuzz run sent and got back. A failure is an answer no input may cause; failures with the same
/// answer are counted together and shown once, with the first request that got it.</summary>
internal sealed class FuzzReport
{
    private const int SlowestKept = 5;

    private readonly Dictionary<string, (int Count, string First)> _failures = new(StringComparer.Ordinal);
    private readonly List<(double Ms, string Request)> _slowest = [];

    public int Seed { get; init; }

    public int RestSent { get; set; }

    public int RawSent { get; set; }

    public int GrpcSent { get; set; }

    public SortedDictionary<string, int> RestStatuses { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> GrpcStatuses { get; } = new(StringComparer.Ordinal);

    public int FailureCount { get; private set; }

    public TimeSpan Elapsed { get; set; }

    public static void Count(SortedDictionary<string, int> statuses, string status) =>
        statuses[status] = statuses.TryGetValue(status, out var n) ? n + 1 : 1;

    /// <param name="answer">What came back (grouping key); <paramref name="request"/> describes what was sent.</param>
    public void Fail(string answer, string request)
    {
        FailureCount++;
        _failures[answer] = _failures.TryGetValue(answer, out var seen) ? (seen.Count + 1, seen.First) : (1, request);
    }

    public void Took(TimeSpan elapsed, string request)
    {
        _slowest.Add((elapsed.TotalMilliseconds, request));
        _slowest.Sort((a, b) => b.Ms.CompareTo(a.Ms));
        if (_slowest.Count > SlowestKept)
        {
            _slowest.RemoveAt(SlowestKept);
        }
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"fuzz seed {Seed}: {RestSent} REST + {RawSent} raw HTTP/1.1 + {GrpcSent} gRPC requests in {Elapsed.TotalSeconds:F1} s, {FailureCount} failures\n");
        sb.Append("REST statuses: ").AppendJoin(", ", RestStatuses.Select(s => $"{s.Key}: {s.Value}")).Append('\n');
        sb.Append("gRPC statuses: ").AppendJoin(", ", GrpcStatuses.Select(s => $"{s.Key}: {s.Value}")).Append('\n');
        sb.Append("slowest: ").AppendJoin(", ", _slowest.Select(s => $"{s.Ms:F0} ms {Short(s.Request, 100)}")).Append('\n');
        foreach (var (answer, (count, first)) in _failures.OrderByDescending(f => f.Value.Count).Take(40))
        {
            sb.Append($"FAIL x{count}: {answer}\n  first: {first}\n");
        }

        return sb.ToString();
    }

    private static string Short(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
