using System.Globalization;
using System.Text.Json;

namespace AotVector.Engine.Snapshots;

/// <summary>What a snapshot archive covers.</summary>
internal enum SnapshotKind
{
    Collection,
    Shard,
    Full,
}

/// <summary>
/// <c>manifest.json</c>, the first entry of every snapshot archive (see docs/snapshots.md): the format, what the
/// snapshot covers, the collections in it (name, directory inside the archive, configuration as stored) and every
/// file that follows, with its size and SHA-256. Written and read with the JSON reader and writer, no reflection.
/// </summary>
internal sealed record SnapshotManifest(
    int FormatVersion,
    SnapshotKind Kind,
    string AotVectorVersion,
    DateTimeOffset Created,
    IReadOnlyList<SnapshotManifest.CollectionEntry> Collections,
    IReadOnlyList<SnapshotManifest.FileEntry> Files)
{
    public const string EntryName = "manifest.json";
    public const string FormatName = "aotvector-snapshot";
    public const int CurrentFormat = 1;

    /// <summary>A manifest larger than this is refused before it is parsed.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>At most this many files in one snapshot.</summary>
    public const int MaxFiles = 1_000_000;

    /// <summary>A collection: its name when the snapshot was taken, its directory in the archive ("" for the root), its config file's JSON.</summary>
    public sealed record CollectionEntry(string Name, string Path, string? ConfigJson);

    public sealed record FileEntry(string Path, long Size, string Sha256);

    public static string KindName(SnapshotKind kind) => kind switch
    {
        SnapshotKind.Collection => "collection",
        SnapshotKind.Shard => "shard",
        SnapshotKind.Full => "full",
    };

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("format_version", FormatVersion);
            w.WriteString("kind", KindName(Kind));
            w.WriteString("aotvector_version", AotVectorVersion);
            w.WriteString("created", Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            w.WriteStartArray("collections");
            foreach (var c in Collections)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("path", c.Path);
                if (c.ConfigJson is not null)
                {
                    w.WritePropertyName("config");
                    w.WriteRawValue(c.ConfigJson, skipInputValidation: false);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var f in Files)
            {
                w.WriteStartObject();
                w.WriteString("path", f.Path);
                w.WriteNumber("size", f.Size);
                w.WriteString("sha256", f.Sha256);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses and checks a manifest; the error names what is wrong.</summary>
    public static SnapshotManifest Parse(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Str(root, "format") != FormatName)
        {
            throw new InvalidDataException("manifest.json is not an AotVector snapshot manifest");
        }

        var version = root.GetProperty("format_version").GetInt32();
        if (version < 1 || version > CurrentFormat)
        {
            throw new InvalidDataException($"snapshot format version {version}; this build reads versions 1 to {CurrentFormat}");
        }

        var kind = Str(root, "kind") switch
        {
            "collection" => SnapshotKind.Collection,
            "shard" => SnapshotKind.Shard,
            "full" => SnapshotKind.Full,
            var other => throw new InvalidDataException($"unknown snapshot kind \"{other}\""),
        };
        var created = DateTimeOffset.Parse(Str(root, "created"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var collections = new List<CollectionEntry>();
        foreach (var c in root.GetProperty("collections").EnumerateArray())
        {
            var path = Str(c, "path");
            if (path.Length > 0 && SnapshotPaths.Normalize(path) is null)
            {
                throw new InvalidDataException($"collection path \"{path}\" is not a plain relative path");
            }

            collections.Add(new CollectionEntry(Str(c, "name"), path, c.TryGetProperty("config", out var config) ? config.GetRawText() : null));
        }

        var files = new List<FileEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in root.GetProperty("files").EnumerateArray())
        {
            if (files.Count >= MaxFiles)
            {
                throw new InvalidDataException($"the snapshot lists more than {MaxFiles} files");
            }

            var raw = Str(f, "path");
            var path = SnapshotPaths.Normalize(raw) ?? throw new InvalidDataException($"file path \"{raw}\" is not a plain relative path");
            if (path == EntryName || !seen.Add(path))
            {
                throw new InvalidDataException($"file \"{path}\" is listed twice");
            }

            var size = f.GetProperty("size").GetInt64();
            var sha = Str(f, "sha256");
            if (size < 0 || sha.Length != 64 || !sha.All(char.IsAsciiHexDigit))
            {
                throw new InvalidDataException($"file \"{path}\" has an invalid size or sha256");
            }

            files.Add(new FileEntry(path, size, sha.ToLowerInvariant()));
        }

        return new SnapshotManifest(version, kind, Str(root, "aotvector_version"), created, collections, files);
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new InvalidDataException($"manifest field \"{name}\" is missing or not a string");
}
