using AotVector.Common.Errors;

namespace AotVector.Engine.Ports;

/// <summary>
/// Downloads a snapshot from an <c>http(s)</c> location into a local file, for recovery from a URL. The server
/// implements it (HTTP client, timeout, size limit, refusal of loopback and link-local targets unless configured);
/// the engine decides whether URL recovery is allowed at all.
/// </summary>
public interface ISnapshotFetcher
{
    /// <summary>Writes the body to <paramref name="destinationPath"/> (created); errors are values naming the problem.</summary>
    ValueTask<Result<long>> FetchAsync(Uri location, string? apiKey, string destinationPath, CancellationToken ct);
}
