using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Protocol.Rest.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Qdrant's envelope: {"result":…,"status":"ok","time":s} on success, {"status":{"error":"…"},"time":s} on
/// failure, with the HTTP status mapped from the error kind. Bodies are built in memory so Content-Length is set.
/// </summary>
internal static class ResponseWriter
{
    /// <summary>
    /// Non-ASCII text and quotes are written as serde_json writes them ("München", \"), not \u-escaped; the body is
    /// application/json, never embedded in HTML, so the relaxed encoder is safe here.
    /// </summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteOkAsync<T>(HttpContext context, long startTimestamp, T value, Action<Utf8JsonWriter, T> writeResult)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result"u8);
            writeResult(writer, value);
            writer.WriteString("status"u8, "ok"u8);
            writer.WriteNumber("time"u8, Elapsed(startTimestamp));
            writer.WriteEndObject();
        }

        return SendAsync(context, StatusCodes.Status200OK, "application/json", buffer.WrittenMemory);
    }

    public static Task WriteErrorAsync(HttpContext context, long startTimestamp, AvError error)
    {
        if (error.Kind == ErrorKind.Cancelled && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away while the engine worked: there is no one to answer, and nothing went wrong.
            context.Response.StatusCode = HttpStatusMapping.ToStatusCode(error.Kind);
            return Task.CompletedTask;
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("status"u8);
            writer.WriteString("error"u8, error.Message);
            writer.WriteEndObject();
            writer.WriteNumber("time"u8, Elapsed(startTimestamp));
            writer.WriteEndObject();
        }

        if (error.Kind == ErrorKind.RateLimited)
        {
            context.Response.Headers[HeaderNames.RetryAfter] = HttpStatusMapping.RetryAfterSeconds(error.RetryAfter).ToString(CultureInfo.InvariantCulture);
        }

        return SendAsync(context, HttpStatusMapping.ToStatusCode(error.Kind), "application/json", buffer.WrittenMemory);
    }

    public static Task WriteReplyAsync<T>(HttpContext context, long startTimestamp, Result<T> result, Action<Utf8JsonWriter, T> writeResult) =>
        result.TryGet(out var value, out var error)
            ? WriteOkAsync(context, startTimestamp, value, writeResult)
            : WriteErrorAsync(context, startTimestamp, error);

    public static Task WriteTextAsync(HttpContext context, int statusCode, string text) =>
        SendAsync(context, statusCode, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A JSON body outside the envelope (GET /).</summary>
    public static Task WriteRawJsonAsync(HttpContext context, ReadOnlyMemory<byte> json) =>
        SendAsync(context, StatusCodes.Status200OK, "application/json", json);

    private static double Elapsed(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;

    private static Task SendAsync(HttpContext context, int statusCode, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
