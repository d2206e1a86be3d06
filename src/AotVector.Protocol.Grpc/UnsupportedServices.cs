using System.Globalization;
using System.Text;
using AotVector.Engine.Api;
using AotVector.Protocol.Grpc.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AotVector.Protocol.Grpc;

/// <summary>
/// Services the reference registers on its public gRPC port that are not bound here: their calls answer UNIMPLEMENTED
/// with the refusal's text instead of gRPC's bare "Service is unimplemented". Every RPC of the bound services is
/// bound, the unsupported ones refusing in their service class.
/// </summary>
internal static class UnsupportedServices
{
    private static readonly (string Service, UnsupportedApi Api)[] s_services =
    [
        ("qdrant.StorageRead", UnsupportedApi.StorageRead),
        ("grpc.reflection.v1.ServerReflection", UnsupportedApi.Reflection),
        ("grpc.reflection.v1alpha.ServerReflection", UnsupportedApi.Reflection),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (service, api) in s_services)
        {
            var refusal = Unsupported.Api(api);
            var status = ((int)GrpcErrors.ToStatusCode(refusal.Kind)).ToString(CultureInfo.InvariantCulture);
            var message = PercentEncode(refusal.Message);
            app.MapPost("/" + service + "/{method}", (RequestDelegate)(context => TrailersOnlyAsync(context, status, message)));
        }
    }

    /// <summary>A trailers-only answer: HTTP 200 whose headers carry the call's status, and no message.</summary>
    private static Task TrailersOnlyAsync(HttpContext context, string status, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status;
        response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    }

    /// <summary>grpc-message is percent-encoded UTF-8 outside printable ASCII (and '%' itself).</summary>
    private static string PercentEncode(string message)
    {
        var sb = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
