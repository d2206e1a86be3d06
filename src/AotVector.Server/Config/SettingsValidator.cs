using System.Net;

namespace AotVector.Server.Config;

/// <summary>
/// Rules that involve more than one key or the file system, checked after binding: the TLS, mTLS and
/// JWT prerequisites from the security design, and warnings for risky but legal setups.
/// </summary>
internal static class SettingsValidator
{
    // HS256 keys shorter than the hash output weaken the signature; Qdrant warns at the same length.
    private const int JwtRecommendedKeyBytes = 32;

    public static void Validate(ServerSettings settings, string contentRoot, BindContext context)
    {
        var service = settings.Service;
        var tls = settings.Tls;

        if (Hosting.LogLevels.Problem(settings.LogLevel) is { } logLevelProblem)
        {
            context.Fail($"log_level: {logLevelProblem} (from {context.OriginOf("log_level")})");
        }

        if (Hosting.MetricNamePrefix.Problem(service.MetricsPrefix) is { } prefixProblem)
        {
            context.Fail($"service.metrics_prefix: {prefixProblem} (from {context.OriginOf("service.metrics_prefix")})");
        }

        if (service.GrpcPort == service.HttpPort)
        {
            context.Fail($"service.grpc_port: must differ from service.http_port ({service.HttpPort}) (from {context.OriginOf("service.grpc_port")})");
        }

        if (service.EnableTls)
        {
            RequireFile(tls.Cert, "tls.cert", "service.enable_tls", contentRoot, context);
            RequireFile(tls.Key, "tls.key", "service.enable_tls", contentRoot, context);
        }

        if (service.VerifyHttpsClientCertificate)
        {
            RequireFile(tls.CaCert, "tls.ca_cert", "service.verify_https_client_certificate", contentRoot, context);
            if (!service.EnableTls)
            {
                context.Warn("service.verify_https_client_certificate has no effect while service.enable_tls is false "
                    + $"(from {context.OriginOf("service.verify_https_client_certificate")})");
            }
        }

        if (settings.Cluster.P2p.EnableTls)
        {
            // Peers authenticate each other, so p2p TLS needs our own pair and the CA that signed the others.
            RequireFile(tls.CaCert, "tls.ca_cert", "cluster.p2p.enable_tls", contentRoot, context);
            RequireFile(tls.Cert, "tls.cert", "cluster.p2p.enable_tls", contentRoot, context);
            RequireFile(tls.Key, "tls.key", "cluster.p2p.enable_tls", contentRoot, context);
        }

        if (service.JwtRbac)
        {
            if (service.ApiKey is null && service.AltApiKey is null)
            {
                context.Fail("service.jwt_rbac: requires service.api_key (or service.alt_api_key), the secret tokens are signed with "
                    + $"(from {context.OriginOf("service.jwt_rbac")})");
            }
            else if (ShorterThan(service.ApiKey, JwtRecommendedKeyBytes) || ShorterThan(service.AltApiKey, JwtRecommendedKeyBytes))
            {
                context.Warn($"service.jwt_rbac: use API keys of at least {JwtRecommendedKeyBytes} bytes to sign JWT tokens");
            }
        }

        if (service.AuthEnabled && !service.EnableTls && !IsLoopback(service.Host))
        {
            context.Warn($"service: an API key is set but service.enable_tls is false and service.host is {service.Host}, "
                + "so keys cross the network in clear text unless a TLS proxy sits in front");
        }

        if (settings.Cluster.Enabled && settings.Cluster.P2p.Port is null)
        {
            context.Fail($"cluster.enabled: requires cluster.p2p.port, the port peers talk to each other on (from {context.OriginOf("cluster.enabled")})");
        }

        if (settings.Cluster.Enabled && settings.Cluster.P2p.Port is { } p2pPort && (p2pPort == service.HttpPort || p2pPort == service.GrpcPort))
        {
            context.Fail($"cluster.p2p.port: must differ from service.http_port and service.grpc_port ({p2pPort}) (from {context.OriginOf("cluster.p2p.port")})");
        }
    }

    private static void RequireFile(string? path, string key, string requiredBy, string contentRoot, BindContext context)
    {
        if (path is null)
        {
            context.Fail($"{requiredBy}: requires {key} to be set (from {context.OriginOf(requiredBy)})");
            return;
        }

        var full = Path.GetFullPath(path, contentRoot);
        if (!File.Exists(full))
        {
            context.Fail($"{requiredBy}: {key} file '{path}' does not exist (looked at {full}; {key} from {context.OriginOf(key)}, "
                + $"{requiredBy} from {context.OriginOf(requiredBy)})");
        }
    }

    private static bool ShorterThan(string? key, int bytes) =>
        key is not null && System.Text.Encoding.UTF8.GetByteCount(key) < bytes;

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
