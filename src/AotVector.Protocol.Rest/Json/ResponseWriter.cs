using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AotVector.Common.Errors;
using AotVector.Protocol.Rest.Dto;
using AotVector.Protocol.Rest.Errors;
using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Qdrant's envelope: {"result":…,"status":"ok","time":s} on success, {"status":{"error":"…"},"time":s} on
/// failure, with the HTTP status mapped from the error kind. Bodies are built in memory so Content-Length is set.
/// The success envelope is a frame around a result of any type, written by its generated contract or by a
/// hand-written writer, and "time" is taken once the result is written.
/// </summary>
internal static class ResponseWriter
{
    /// <summary>
    /// Non-ASCII text and quotes are written as serde_json writes them ("München", \"), not \u-escaped; the body is
    /// application/json, never embedded in HTML, so the relaxed encoder is safe here.
    /// </summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A body buffer comes from the array pool at this size and goes back once the response has taken the bytes.
    /// Utf8JsonWriter asks its output for 4 KB as soon as its first span is full, and JsonSerializer flushes it after
    /// each generated result, so a smaller buffer would be grown and copied on most answers.
    /// </summary>
    private const int BodyBufferSize = 4096;

    /// <summary>
    /// One writer per thread, reset onto each body (as System.Text.Json caches its own): building a Utf8JsonWriter
    /// costs about as much as writing a small answer.
    /// </summary>
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static async Task WriteOkAsync<T>(HttpContext context, long startTimestamp, T value, Action<Utf8JsonWriter, T> writeResult)
    {
        using var body = new ArrayPoolBufferWriter<byte>(BodyBufferSize);
        WriteOk(body, startTimestamp, value, writeResult);
        await SendAsync(context, StatusCodes.Status200OK, "application/json", body.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>A result with a fixed shape, written by its source-generated contract.</summary>
    public static Task WriteOkAsync<T>(HttpContext context, long startTimestamp, T value, JsonTypeInfo<T> contract) =>
        WriteOkAsync(context, startTimestamp, (value, contract), WriteGenerated);

    public static async Task WriteErrorAsync(HttpContext context, long startTimestamp, AvError error)
    {
        if (error.Kind == ErrorKind.Cancelled && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away while the engine worked: there is no one to answer, and nothing went wrong.
            context.Response.StatusCode = HttpStatusMapping.ToStatusCode(error.Kind);
            return;
        }

        using var body = new ArrayPoolBufferWriter<byte>(BodyBufferSize);
        WriteError(body, startTimestamp, error);
        if (error.Kind == ErrorKind.RateLimited)
        {
            context.Response.Headers[HeaderNames.RetryAfter] = HttpStatusMapping.RetryAfterSeconds(error.RetryAfter).ToString(CultureInfo.InvariantCulture);
        }

        await SendAsync(context, HttpStatusMapping.ToStatusCode(error.Kind), "application/json", body.WrittenMemory).ConfigureAwait(false);
    }

    public static Task WriteReplyAsync<T>(HttpContext context, long startTimestamp, Result<T> result, Action<Utf8JsonWriter, T> writeResult) =>
        result.TryGet(out var value, out var error)
            ? WriteOkAsync(context, startTimestamp, value, writeResult)
            : WriteErrorAsync(context, startTimestamp, error);

    public static Task WriteReplyAsync<T>(HttpContext context, long startTimestamp, Result<T> result, JsonTypeInfo<T> contract) =>
        result.TryGet(out var value, out var error)
            ? WriteOkAsync(context, startTimestamp, value, contract)
            : WriteErrorAsync(context, startTimestamp, error);

    /// <summary>202 <c>{"status":"accepted","time":…}</c>, no result: the work goes on after the answer (<c>wait=false</c>).</summary>
    public static async Task WriteAcceptedAsync(HttpContext context, long startTimestamp)
    {
        using var body = new ArrayPoolBufferWriter<byte>(BodyBufferSize);
        var writer = RentWriter(body);
        try
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, "accepted"u8);
            writer.WriteNumber("time"u8, Elapsed(startTimestamp));
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            ReturnWriter(writer);
        }

        await SendAsync(context, StatusCodes.Status202Accepted, "application/json", body.WrittenMemory).ConfigureAwait(false);
    }

    public static Task WriteTextAsync(HttpContext context, int statusCode, string text) =>
        SendAsync(context, statusCode, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A JSON body outside the envelope (GET /).</summary>
    public static Task WriteRawJsonAsync(HttpContext context, ReadOnlyMemory<byte> json) =>
        SendAsync(context, StatusCodes.Status200OK, "application/json", json);

    /// <summary>The success body, into <paramref name="output"/>.</summary>
    public static void WriteOk<T>(IBufferWriter<byte> output, long startTimestamp, T value, Action<Utf8JsonWriter, T> writeResult)
    {
        var writer = RentWriter(output);
        try
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result"u8);
            writeResult(writer, value);
            writer.WriteString("status"u8, "ok"u8);
            writer.WriteNumber("time"u8, Elapsed(startTimestamp));
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            ReturnWriter(writer);
        }
    }

    public static void WriteOk<T>(IBufferWriter<byte> output, long startTimestamp, T value, JsonTypeInfo<T> contract) =>
        WriteOk(output, startTimestamp, (value, contract), WriteGenerated);

    /// <summary>The failure body, into <paramref name="output"/>.</summary>
    public static void WriteError(IBufferWriter<byte> output, long startTimestamp, AvError error)
    {
        var writer = RentWriter(output);
        try
        {
            JsonSerializer.Serialize(writer, new ErrorResponseDto(new ErrorStatusDto(error.Message), Elapsed(startTimestamp)), RestJsonContext.Default.ErrorResponseDto);
        }
        finally
        {
            ReturnWriter(writer);
        }
    }

    private static Utf8JsonWriter RentWriter(IBufferWriter<byte> output)
    {
        if (t_writer is not { } writer)
        {
            return new Utf8JsonWriter(output, Options);
        }

        t_writer = null;
        writer.Reset(output);
        return writer;
    }

    /// <summary>Reset drops the writer's hold on the body, so a cached writer keeps no buffer alive.</summary>
    private static void ReturnWriter(Utf8JsonWriter writer)
    {
        writer.Reset();
        t_writer = writer;
    }

    private static void WriteGenerated<T>(Utf8JsonWriter writer, (T Value, JsonTypeInfo<T> Contract) result) =>
        JsonSerializer.Serialize(writer, result.Value, result.Contract);

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
