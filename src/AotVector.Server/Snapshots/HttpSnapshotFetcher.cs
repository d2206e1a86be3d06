using System.Net;
using System.Net.Sockets;
using AotVector.Common.Errors;
using AotVector.Engine.Ports;

namespace AotVector.Server.Snapshots;

/// <summary>
/// Downloads a snapshot for recovery from an <c>http(s)</c> URL, streaming it to the destination file with a running
/// byte count. Against server-side request forgery, every connection resolves the host itself and refuses a
/// loopback, link-local or unspecified address (any of them, so a name that also resolves to 127.0.0.1 is refused)
/// unless <c>service.snapshot_url_recovery_allow_local</c> is set, then connects to the address it checked, so a
/// second DNS answer cannot swap the target. Redirects are followed here, each one through the same check; the
/// caller's <c>api_key</c> goes only to the origin it was given for. No proxy is used: the check must see the target.
/// </summary>
internal sealed class HttpSnapshotFetcher : ISnapshotFetcher, IDisposable
{
    private const int MaxRedirects = 5;

    /// <summary>A server that accepts the connection and then sends nothing for this long is given up on.</summary>
    private static readonly TimeSpan s_stallTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _client;
    private readonly bool _allowLocal;
    private readonly long? _maxBytes;

    /// <param name="maxBytes">The largest body accepted; null for no limit beyond the disk.</param>
    public HttpSnapshotFetcher(bool allowLocal, long? maxBytes)
    {
        _allowLocal = allowLocal;
        _maxBytes = maxBytes;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = s_connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
        };
        // The overall time is bounded by the stall timeout per read instead: a large snapshot may take long.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async ValueTask<Result<long>> FetchAsync(Uri location, string? apiKey, string destinationPath, CancellationToken ct)
    {
        var current = location;
        for (var redirects = 0; ; redirects++)
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stall.CancelAfter(s_stallTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (apiKey is not null && SameOrigin(current, location))
            {
                request.Headers.TryAddWithoutValidation("api-key", apiKey);
            }

            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (Find<TargetRefusedException>(e) is { } refused)
            {
                return AvError.Forbidden(refused.Message);
            }
            catch (HttpRequestException e)
            {
                return AvError.BadRequest($"failed to download snapshot from {Describe(current)}: {e.Message}");
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return AvError.Timeout($"no answer from {Describe(current)} within {s_stallTimeout.TotalSeconds:0} seconds");
            }

            using (response)
            {
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } next)
                {
                    if (redirects == MaxRedirects)
                    {
                        return AvError.BadRequest($"failed to download snapshot from {Describe(location)}: more than {MaxRedirects} redirects");
                    }

                    var target = next.IsAbsoluteUri ? next : new Uri(current, next);
                    if (target.Scheme is not ("http" or "https") || (current.Scheme == "https" && target.Scheme == "http"))
                    {
                        return AvError.BadRequest($"failed to download snapshot from {Describe(location)}: refused redirect to {target.Scheme}://{target.Authority}");
                    }

                    current = target;
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    return AvError.BadRequest($"failed to download snapshot from {Describe(current)}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                if (_maxBytes is { } max && response.Content.Headers.ContentLength > max)
                {
                    return AvError.PayloadTooLarge(max);
                }

                return await CopyAsync(response, current, destinationPath, ct).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<Result<long>> CopyAsync(HttpResponseMessage response, Uri from, string destinationPath, CancellationToken ct)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous | FileOptions.SequentialScan, BufferSize = 0 };
            await using var file = new FileStream(destinationPath, options);
            var buffer = new byte[81920];
            long total = 0;
            while (true)
            {
                stall.CancelAfter(s_stallTimeout);
                var n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                total += n;
                if (_maxBytes is { } max && total > max)
                {
                    return AvError.PayloadTooLarge(max);
                }

                await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            }

            await file.FlushAsync(ct).ConfigureAwait(false);
            return total;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return AvError.Timeout($"the download from {Describe(from)} stalled for {s_stallTimeout.TotalSeconds:0} seconds");
        }
        catch (HttpRequestException e)
        {
            return AvError.BadRequest($"failed to download snapshot from {Describe(from)}: {e.Message}");
        }
        catch (IOException e) when (e.InnerException is SocketException || e is HttpIOException)
        {
            return AvError.BadRequest($"failed to download snapshot from {Describe(from)}: {e.Message}");
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) is 28 or 122)
        {
            return AvError.InsufficientStorage("the downloaded snapshot could not be written: " + e.Message);
        }
    }

    /// <summary>Resolves the host, checks every address, and connects to the first one that passed.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} has no address");
        }

        if (!_allowLocal)
        {
            foreach (var address in addresses)
            {
                if (LocalKind(address) is { } kind)
                {
                    throw new TargetRefusedException(
                        $"snapshot URL host {host} resolves to {kind} address {address}; URL recovery refuses such targets unless service.snapshot_url_recovery_allow_local is true");
                }
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>What kind of address must not be fetched from by default, or null for an ordinary one.</summary>
    internal static string? LocalKind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal ? "link-local" : null;
        }

        var bytes = address.GetAddressBytes();
        return bytes[0] switch
        {
            0 => "unspecified",
            169 when bytes[1] == 254 => "link-local",
            _ => null,
        };
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>Scheme, host and port only: a URL's path or query may carry a token.</summary>
    private static string Describe(Uri uri) => uri.Scheme + "://" + uri.Authority;

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Thrown from the connect callback; surfaces as the inner exception of the client's HttpRequestException.</summary>
    private sealed class TargetRefusedException(string message) : Exception(message);
}
