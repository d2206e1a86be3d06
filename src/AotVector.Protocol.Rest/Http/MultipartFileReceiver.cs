using AotVector.Common.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AotVector.Protocol.Rest.Http;

/// <summary>
/// Streams one file field of a <c>multipart/form-data</c> body into a file, section by section as it arrives: nothing
/// is buffered beyond the reader's small window, and the body is held to the request's body limit (the server sets it
/// for upload routes) by Kestrel's own running count, never by the declared Content-Length. Other fields are read past.
/// </summary>
internal static class MultipartFileReceiver
{
    /// <summary>The bytes written to <paramref name="destination"/>, or why the body could not be taken.</summary>
    public static async Task<Result<long>> ReceiveAsync(HttpContext context, string field, string destination, CancellationToken ct)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return AvError.BadRequest("expected a multipart/form-data body with a `" + field + "` file field, got Content-Type `" + (request.ContentType ?? "") + "`");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            return AvError.BadRequest("the multipart/form-data Content-Type has no valid boundary");
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        var reader = new MultipartReader(boundary, request.Body);
        long written = -1;
        try
        {
            while (await reader.ReadNextSectionAsync(ct).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                    || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, field, StringComparison.Ordinal))
                {
                    // Read past it (the reader drains an unread section when asked for the next one).
                    continue;
                }

                if (written >= 0)
                {
                    return AvError.BadRequest("the multipart form carries more than one `" + field + "` field");
                }

                written = await CopyAsync(section.Body, destination, ct).ConfigureAwait(false);
            }
        }
        catch (BadHttpRequestException e)
        {
            return e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => AvError.PayloadTooLarge(limit ?? long.MaxValue),
                StatusCodes.Status408RequestTimeout => AvError.Timeout("the upload was not received: " + e.Message.TrimEnd('.')),
                _ => new AvError(ErrorKind.BadRequest, "Bad request body: " + e.Message.TrimEnd('.')),
            };
        }
        catch (InvalidDataException e)
        {
            // The reader's own framing checks: a section header too long, a body that ends before its boundary.
            return AvError.BadRequest("the multipart/form-data body is malformed: " + e.Message.TrimEnd('.'));
        }
        catch (IOException e) when (!ct.IsCancellationRequested)
        {
            // A full disk under the write, or the connection failing under the read (most often the client went away).
            return IsNoSpace(e)
                ? AvError.InsufficientStorage("the upload could not be written: " + e.Message)
                : AvError.BadRequest("the upload could not be received: " + e.Message);
        }

        return written >= 0 ? written : AvError.BadRequest("the multipart form has no `" + field + "` file field");
    }

    private static async Task<long> CopyAsync(Stream source, string destination, CancellationToken ct)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        };
        await using var file = new FileStream(destination, options);
        await source.CopyToAsync(file, ct).ConfigureAwait(false);
        await file.FlushAsync(ct).ConfigureAwait(false);
        return file.Position;
    }

    /// <summary>ENOSPC (28) and EDQUOT (122) on Linux; HResult carries the errno for IO errors from the file system.</summary>
    private static bool IsNoSpace(IOException e) => (e.HResult & 0xFFFF) is 28 or 122 || e.HResult == unchecked((int)0x80070070);
}
