using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Text that <see cref="JsonDocument"/> accepts but cannot turn into strings: invalid UTF-8 inside a string or
/// property name, and <c>\u</c> escapes of lone surrogates. The document parses; reading the string later throws,
/// deep inside a body reader. Checked once, right after parsing, so such a body is a format error like any other.
/// </summary>
internal static class BodyText
{
    /// <summary>A serde-like description of the first problem ("… at line L column C"), or null when the text is sound.</summary>
    public static string? Problem(ReadOnlySpan<byte> body, JsonReaderOptions options)
    {
        if (!Utf8.IsValid(body))
        {
            return "invalid unicode code point" + At(body, FirstInvalidUtf8(body));
        }

        // Only an escape can encode a lone surrogate; most bodies have none and need no second pass.
        if (body.IndexOf("\\u"u8) < 0)
        {
            return null;
        }

        var reader = new Utf8JsonReader(body, options);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return "lone surrogate in hex escape" + At(body, (int)reader.TokenStartIndex);
                }
            }
        }

        return null;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> body)
    {
        var index = 0;
        while (index < body.Length)
        {
            if (Rune.DecodeFromUtf8(body[index..], out _, out var consumed) != OperationStatus.Done)
            {
                return index;
            }

            index += consumed;
        }

        return body.Length;
    }

    /// <summary>1-based line and column of a byte offset, as the format errors give them.</summary>
    private static string At(ReadOnlySpan<byte> body, int offset)
    {
        var before = body[..offset];
        var line = before.Count((byte)'\n') + 1;
        var column = offset - before.LastIndexOf((byte)'\n');
        return " at line " + line.ToString(CultureInfo.InvariantCulture) + " column " + column.ToString(CultureInfo.InvariantCulture);
    }
}
