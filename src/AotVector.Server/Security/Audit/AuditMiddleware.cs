using System.Globalization;
using AotVector.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// Writes the audit line of a request once it has been answered: one for every refused request (REST 401, 403
/// or 429; gRPC UNAUTHENTICATED, PERMISSION_DENIED, or RESOURCE_EXHAUSTED with retry-after), whether the
/// security layer or the engine refused it, and one for every management action whatever its result. Runs after
/// routing and before authentication, which fills in the request's <see cref="AuditScope"/>. Anonymous endpoints
/// (health checks) are skipped whole. Nothing here reads a credential: no key or token reaches the line.
/// </summary>
internal sealed class AuditMiddleware
{
    private const int GrpcOk = 0;
    private const int GrpcPermissionDenied = 7;
    private const int GrpcResourceExhausted = 8;
    private const int GrpcUnauthenticated = 16;

    private readonly AuditLog _log;

    public AuditMiddleware(AuditLog log)
    {
        _log = log;
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var timestamp = _log.Time.GetUtcNow();
        var operation = AuditOperation.Of(endpoint, context.Request.Method);
        var scope = new AuditScope();
        context.Features.Set(scope);
        var capture = operation.IsGrpc || GrpcRequest.Is(context) ? null : ErrorBodyCapture.Install(context);
        var threw = false;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            capture?.Uninstall();
            Record(context, operation, timestamp, scope, capture, threw);
        }
    }

    private void Record(HttpContext context, AuditOperation operation, DateTimeOffset timestamp, AuditScope scope, ErrorBodyCapture? capture, bool threw)
    {
        var (denied, error) = GrpcStatus(context) is { } grpc
            ? GrpcOutcome(context, grpc, scope)
            : RestOutcome(context, scope, capture, threw);
        if (!denied && !operation.IsManagement)
        {
            return;
        }

        var collection = operation.IsGrpc
            ? scope.Collection
            : context.Request.RouteValues.TryGetValue("name", out var name) ? name as string : null;
        _log.Write(new AuditEntry(
            timestamp,
            operation.Method,
            operation.Api,
            scope.AuthType,
            scope.Subject,
            ClientAddress.Of(context, _log.TrustForwardedHeaders),
            collection,
            TracingId(context.Request.Headers),
            denied,
            error));
    }

    private static (bool Denied, string? Error) RestOutcome(HttpContext context, AuditScope scope, ErrorBodyCapture? capture, bool threw)
    {
        if (scope.Refusal is { } refusal)
        {
            return (true, refusal);
        }

        var status = context.Response.StatusCode;
        if (threw)
        {
            return (false, "Service internal error: the request failed unexpectedly");
        }

        if (status < StatusCodes.Status400BadRequest)
        {
            return (false, null);
        }

        var denied = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests;
        return (denied, capture?.Message() ?? "HTTP " + status.ToString(CultureInfo.InvariantCulture));
    }

    private static (bool Denied, string? Error) GrpcOutcome(HttpContext context, int status, AuditScope scope)
    {
        if (scope.Refusal is { } refusal)
        {
            return (true, refusal);
        }

        if (status == GrpcOk)
        {
            return (false, null);
        }

        var denied = status is GrpcUnauthenticated or GrpcPermissionDenied
            || (status == GrpcResourceExhausted && Header(context, "retry-after") is not null);
        var message = Header(context, "grpc-message");
        return (denied, message is null ? "gRPC status " + status.ToString(CultureInfo.InvariantCulture) : Uri.UnescapeDataString(message));
    }

    /// <summary>The call's grpc-status: in the headers of a trailers-only answer, else in the trailers. Null for a REST answer.</summary>
    private static int? GrpcStatus(HttpContext context) =>
        Header(context, "grpc-status") is { } value && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : null;

    private static string? Header(HttpContext context, string name)
    {
        if (context.Response.Headers.TryGetValue(name, out var value) && value.Count > 0)
        {
            return value[0];
        }

        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        return trailers is not null && trailers.TryGetValue(name, out value) && value.Count > 0 ? value[0] : null;
    }

    /// <summary>The first of the tracing headers the reference server reads; clipped when written.</summary>
    private static string? TracingId(IHeaderDictionary headers)
    {
        foreach (var name in (ReadOnlySpan<string>)["x-request-id", "x-tracing-id", "traceparent"])
        {
            if (headers.TryGetValue(name, out var value) && value.Count > 0 && !string.IsNullOrEmpty(value[0]))
            {
                return value[0];
            }
        }

        return null;
    }
}
