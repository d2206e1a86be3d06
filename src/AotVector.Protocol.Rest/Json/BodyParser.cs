using System.Globalization;
using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Turns a request body into an engine request: JSON syntax errors and reader errors both come back as
/// <see cref="AvError"/> values (400 "Format error in JSON body: …", 422 "Validation error in JSON body: […]").
/// </summary>
internal static class BodyParser
{
    // serde_json's recursion limit; deep payloads must not be cut shorter than Qdrant does.
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 128, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };
    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 128, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <param name="allowEmpty">An empty body reads as <c>{}</c> (endpoints whose fields are all optional).</param>
    public static Result<T> Parse<T>(ReadOnlyMemory<byte> body, Func<JsonElement, T> read, bool allowEmpty = false)
    {
        if (IsBlank(body.Span))
        {
            if (!allowEmpty)
            {
                return RequestErrors.Format("EOF while parsing a value at line 1 column 0");
            }

            body = "{}"u8.ToArray();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, s_options);
        }
        catch (JsonException ex)
        {
            return RequestErrors.Format(Describe(ex));
        }

        if (BodyText.Problem(body.Span, s_readerOptions) is { } problem)
        {
            document.Dispose();
            return RequestErrors.Format(problem);
        }

        using (document)
        {
            try
            {
                return read(document.RootElement);
            }
            catch (JsonBodyException ex)
            {
                return ex.Error;
            }
        }
    }

    /// <summary>The reader's own message without its "LineNumber: | BytePositionInLine:" tail, then a 1-based position.</summary>
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        message = message.TrimEnd('.', ' ');
        var line = (ex.LineNumber ?? 0) + 1;
        var column = (ex.BytePositionInLine ?? 0) + 1;
        return message + " at line " + line.ToString(CultureInfo.InvariantCulture) + " column " + column.ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsBlank(ReadOnlySpan<byte> body) => body.Trim(" \t\r\n"u8).IsEmpty;
}
