using System.Text.Json;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// The recover body (<c>{"location","priority","checksum","api_key"}</c>) and the upload's query values. Fields the
/// reference does not know are ignored, as it ignores them.
/// </summary>
internal static class SnapshotRequestReader
{
    private const string PriorityVariants = "expected one of `no_sync`, `snapshot`, `replica`";

    /// <param name="shard">A shard recover, whose location may also be the plain name of one of the shard's snapshots.</param>
    public static SnapshotRecoverBody ReadRecover(JsonElement root, bool shard)
    {
        JsonRead.Object(root, "", shard ? "struct ShardSnapshotRecover" : "struct SnapshotRecover");
        string? location = null, checksum = null, apiKey = null;
        SnapshotPriority? priority = null;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "location":
                    location = JsonRead.String(p.Value, "location");
                    break;
                case "priority":
                    priority = JsonRead.IsAbsent(p.Value) ? null : ReadPriority(JsonRead.String(p.Value, "priority"), "priority");
                    break;
                case "checksum":
                    checksum = JsonRead.OptionalString(p.Value, "checksum");
                    break;
                case "api_key":
                    apiKey = JsonRead.OptionalString(p.Value, "api_key");
                    break;
            }
        }

        if (location is null)
        {
            JsonRead.Missing("", "location");
        }

        if (checksum is not null && !IsSha256(checksum))
        {
            ThrowHelper.ThrowValidation("checksum", "must be a hex-encoded SHA-256 hash (64 hexadecimal digits)");
        }

        if (LooksLikeUrl(location))
        {
            var source = ReadLocation(location, apiKey);
            if (!source.TryGet(out var value, out var error))
            {
                ThrowHelper.ThrowError(error);
            }

            return new SnapshotRecoverBody(value, null, priority, checksum);
        }

        if (!shard)
        {
            ThrowHelper.ThrowFormat("location", "relative URL without a base: \"" + location + "\"");
        }

        return new SnapshotRecoverBody(null, location, priority, checksum);
    }

    /// <summary><c>file://</c> is a local file (confined by the engine), <c>http(s)://</c> a download; nothing else.</summary>
    public static Result<SnapshotSource> ReadLocation(string location, string? apiKey)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !LooksLikeUrl(location))
        {
            return RequestErrors.Format("invalid URL in location: \"" + location + "\"");
        }

        switch (uri.Scheme)
        {
            case "file":
                if (!uri.IsLoopback && uri.Host.Length != 0)
                {
                    return AvError.BadRequest("a file:// snapshot location must name a local file, not host `" + uri.Host + "`");
                }

                return new SnapshotSource.LocalFile(uri.LocalPath);
            case "http" or "https":
                return new SnapshotSource.Url(uri, apiKey);
            default:
                return AvError.BadRequest("snapshot location scheme `" + uri.Scheme + "` is not supported, expected `file`, `http` or `https`");
        }
    }

    /// <summary>The <c>priority</c> query or body value.</summary>
    public static SnapshotPriority ReadPriority(string text, string path) => text switch
    {
        "no_sync" => SnapshotPriority.NoSync,
        "snapshot" => SnapshotPriority.Snapshot,
        "replica" => SnapshotPriority.Replica,
        _ => ThrowHelper.ThrowFormat<SnapshotPriority>(path, "unknown variant `" + text + "`, " + PriorityVariants),
    };

    public static bool TryReadPriority(string text, out SnapshotPriority priority, out AvError error)
    {
        priority = default;
        error = default;
        switch (text)
        {
            case "no_sync":
                priority = SnapshotPriority.NoSync;
                return true;
            case "snapshot":
                priority = SnapshotPriority.Snapshot;
                return true;
            case "replica":
                priority = SnapshotPriority.Replica;
                return true;
            default:
                error = RequestErrors.QueryParameter("unknown variant `" + text + "` for `priority`, " + PriorityVariants);
                return false;
        }
    }

    public static bool IsSha256(string text)
    {
        if (text.Length != 64)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A scheme, a colon, then anything: .NET would also read "/etc/x" as an absolute file URI on Unix, which the
    /// reference's URL parser refuses (it is relative).
    /// </summary>
    private static bool LooksLikeUrl(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text.AsSpan(0, colon))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
