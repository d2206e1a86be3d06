namespace AotVector.LoadGen;

/// <summary>One round of the paired measurement: a server chunk and an in-process chunk over the same queries.</summary>
internal sealed record PairedRound(Row Server, Row InProcess)
{
    public double Ratio => Server.Qps / InProcess.Qps;
}

/// <summary>
/// The paired measurement of one front end: the median of the per-round ratios is the figure reported against the
/// target (one disturbed round cannot move it); the pooled ratio divides total queries per second on each side.
/// </summary>
internal sealed record PairedResult(string Front, int Clients, IReadOnlyList<PairedRound> Rounds)
{
    public double Median => MedianOf(Rounds.Select(r => r.Ratio));

    public double Min => Rounds.Min(r => r.Ratio);

    public double Max => Rounds.Max(r => r.Ratio);

    public double Pooled => Rate(Rounds.Select(r => r.Server)) / Rate(Rounds.Select(r => r.InProcess));

    public double ServerQps => MedianOf(Rounds.Select(r => r.Server.Qps));

    public double InProcessQps => MedianOf(Rounds.Select(r => r.InProcess.Qps));

    /// <summary>Server CPU milliseconds per query over all rounds, and the in-process engine's.</summary>
    public double ServerCpuMsPerQuery => CpuMs(Rounds.Select(r => r.Server));

    public double InProcessCpuMsPerQuery => CpuMs(Rounds.Select(r => r.InProcess));

    public double ClientCpuMsPerQuery => Rounds.Sum(r => r.Server.ClientCpu) * 1000 / Rounds.Sum(r => r.Server.Qps * r.Server.Seconds);

    private static double Rate(IEnumerable<Row> rows) => rows.Sum(r => r.Qps * r.Seconds) / rows.Sum(r => r.Seconds);

    private static double CpuMs(IEnumerable<Row> rows) => rows.Sum(r => r.ServerCpu) * 1000 / rows.Sum(r => r.Qps * r.Seconds);

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
