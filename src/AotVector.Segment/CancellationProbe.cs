namespace AotVector.Segment;

/// <summary>
/// Reads a cancellation token once every <see cref="Interval"/> steps of a long loop (candidates scanned, points
/// scored): often enough that a cancelled search stops within a fraction of a millisecond, rarely enough to cost
/// nothing next to the work of a step.
/// </summary>
internal struct CancellationProbe(CancellationToken token)
{
    private const int Interval = 1024;

    private int _steps;

    /// <summary>Counts one step; true when the token was found cancelled (read at the first step and every Interval after).</summary>
    public bool Stop() => (_steps++ & (Interval - 1)) == 0 && token.IsCancellationRequested;
}
