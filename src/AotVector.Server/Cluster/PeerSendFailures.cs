using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace AotVector.Server.Cluster;

/// <summary>
/// Consecutive failures to send consensus messages, by peer address, as the reference's <c>message_send_failures</c>
/// in <c>GET /cluster</c>: a failure counts and keeps the latest error and its time, the first of a series is logged,
/// and the next message that reaches the peer clears its entry.
/// </summary>
internal sealed partial class PeerSendFailures(ILogger logger)
{
    private readonly ConcurrentDictionary<string, Entry> _failures = new(StringComparer.Ordinal);

    private sealed record Entry(long Count, string Error, DateTime At);

    public void Failed(string address, string error)
    {
        var entry = _failures.AddOrUpdate(address, _ => new Entry(1, error, DateTime.UtcNow), (_, e) => new Entry(e.Count + 1, error, DateTime.UtcNow));
        if (entry.Count == 1)
        {
            SendFailed(logger, address, error);
        }
    }

    public void Succeeded(string address) => _failures.TryRemove(address, out _);

    /// <summary>Writes the object <c>{address: {count, latest_error, latest_error_timestamp}}</c> as <paramref name="name"/>.</summary>
    public void Write(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        foreach (var (address, entry) in _failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(address);
            w.WriteNumber("count", entry.Count);
            w.WriteString("latest_error", entry.Error);
            w.WriteString("latest_error_timestamp", entry.At.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster: failed to send a message to {Address}: {Error}")]
    private static partial void SendFailed(ILogger logger, string address, string error);
}

/// <summary>Records in <see cref="PeerSendFailures"/> whether each message reached its peer (any HTTP answer does).</summary>
internal sealed class PeerSendRecorder(PeerSendFailures failures, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var address = request.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Authority) + "/" : "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            failures.Succeeded(address);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            failures.Failed(address, e is OperationCanceledException ? "the peer did not answer in time" : e.Message);
            throw;
        }
    }
}
