using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AotVector.Server.Security.Audit;

/// <summary>
/// The JSON form of an <see cref="AuditEntry"/>: one object per line, fields in a fixed order, absent ones left
/// out (as the reference server does). Control characters and markup are escaped by the writer, so a header
/// value cannot forge a line; long values are clipped.
/// </summary>
internal static class AuditLine
{
    /// <summary>The length the reference server clips tracing ids to; used for every value a client chooses.</summary>
    public const int MaxValueChars = 256;

    public const int MaxErrorChars = 1024;

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Writes the entry as one JSON object (no newline) and flushes the writer.</summary>
    public static void Write(Utf8JsonWriter writer, AuditEntry entry)
    {
        Span<char> timestamp = stackalloc char[32];
        entry.Timestamp.UtcDateTime.TryFormat(timestamp, out var length, TimestampFormat, CultureInfo.InvariantCulture);

        writer.WriteStartObject();
        writer.WriteString("timestamp"u8, timestamp[..length]);
        writer.WriteString("method"u8, Clip(entry.Method, MaxValueChars));
        WriteOptional(writer, "api"u8, entry.Api, MaxValueChars);
        writer.WriteString("auth_type"u8, Name(entry.AuthType));
        WriteOptional(writer, "subject"u8, entry.Subject, MaxValueChars);
        WriteOptional(writer, "remote"u8, entry.Remote, MaxValueChars);
        WriteOptional(writer, "collection"u8, entry.Collection, MaxValueChars);
        WriteOptional(writer, "tracing_id"u8, entry.TracingId, MaxValueChars);
        writer.WriteString("result"u8, entry.Denied ? "denied"u8 : "ok"u8);
        WriteOptional(writer, "error"u8, entry.Error, MaxErrorChars);
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>The line as a string, for tests and diagnostics.</summary>
    public static string Format(AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entry);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Name(AuthMechanism mechanism) => mechanism switch
    {
        AuthMechanism.None => "None",
        AuthMechanism.ApiKey => "ApiKey",
        AuthMechanism.Jwt => "Jwt",
    };

    /// <summary>At most <paramref name="max"/> chars, never splitting a surrogate pair, with lone surrogates replaced (the writer refuses them).</summary>
    internal static string Clip(string value, int max)
    {
        var clipped = value.Length <= max ? value : value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];
        for (var i = 0; i < clipped.Length; i++)
        {
            if (char.IsSurrogate(clipped[i]) && !char.IsSurrogatePair(clipped, i) && !(i > 0 && char.IsSurrogatePair(clipped, i - 1)))
            {
                return ReplaceLoneSurrogates(clipped);
            }
        }

        return clipped;
    }

    private static string ReplaceLoneSurrogates(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsSurrogatePair(value, i))
            {
                sb.Append(value[i]).Append(value[i + 1]);
                i++;
            }
            else
            {
                sb.Append(char.IsSurrogate(value[i]) ? '\uFFFD' : value[i]);
            }
        }

        return sb.ToString();
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value, int max)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, Clip(value, max));
        }
    }
}
