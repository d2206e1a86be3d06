using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// Lets a REST response through unchanged while keeping the first bytes of an error body (status 400 or more
/// when the write starts), so the audit line can carry the same message the client read. Successful bodies are
/// not copied. Installed over the response body feature for one request and taken off afterwards.
/// </summary>
internal sealed class ErrorBodyCapture : Stream, IHttpResponseBodyFeature
{
    /// <summary>Enough for any error envelope this server writes; a longer one is cut (and read as far as it goes).</summary>
    private const int MaxCaptured = 4096;

    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _inner;
    private byte[]? _captured;
    private int _length;

    private ErrorBodyCapture(HttpContext context, IHttpResponseBodyFeature inner)
    {
        _context = context;
        _inner = inner;
    }

    public static ErrorBodyCapture? Install(HttpContext context)
    {
        var inner = context.Features.Get<IHttpResponseBodyFeature>();
        if (inner is null)
        {
            return null;
        }

        var capture = new ErrorBodyCapture(context, inner);
        context.Features.Set<IHttpResponseBodyFeature>(capture);
        return capture;
    }

    public void Uninstall() => _context.Features.Set(_inner);

    /// <summary>The <c>status.error</c> of a JSON envelope, or a plain-text body; null if no error body was written.</summary>
    public string? Message()
    {
        if (_captured is null || _length == 0)
        {
            return null;
        }

        var bytes = _captured.AsSpan(0, _length);
        return _context.Response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true
            ? EnvelopeError(bytes)
            : Encoding.UTF8.GetString(bytes);
    }

    internal static string? EnvelopeError(ReadOnlySpan<byte> json)
    {
        try
        {
            // Not final: a cut-off body stops the reader instead of failing it.
            var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
            var inStatus = false;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.CurrentDepth == 1)
                {
                    inStatus = reader.ValueTextEquals("status"u8);
                }
                else if (inStatus && reader.CurrentDepth == 2 && reader.ValueTextEquals("error"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        return null;
    }

    private void Capture(ReadOnlySpan<byte> data)
    {
        if (_context.Response.StatusCode < StatusCodes.Status400BadRequest || _length >= MaxCaptured)
        {
            return;
        }

        _captured ??= new byte[MaxCaptured];
        var take = Math.Min(data.Length, MaxCaptured - _length);
        data[..take].CopyTo(_captured.AsSpan(_length));
        _length += take;
    }

    // IHttpResponseBodyFeature: everything but the stream goes to the feature underneath.
    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _inner.Writer;

    void IHttpResponseBodyFeature.DisableBuffering() => _inner.DisableBuffering();

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken) => _inner.StartAsync(cancellationToken);

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        _inner.SendFileAsync(path, offset, count, cancellationToken);

    Task IHttpResponseBodyFeature.CompleteAsync() => _inner.CompleteAsync();

    // Stream: writes only.
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Capture(buffer);
        _inner.Stream.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Capture(buffer.Span);
        return _inner.Stream.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Stream.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.Stream.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
