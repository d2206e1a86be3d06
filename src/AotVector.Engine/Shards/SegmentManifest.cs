using System.Globalization;
using System.Text;
using AotVector.Storage.Checksums;
using AotVector.Storage.Files;

namespace AotVector.Engine.Shards;

/// <summary>
/// The list of a shard's segments (<c>segments.manifest</c>), replaced atomically whenever the set changes, so a
/// crash during a seal, merge or vacuum leaves either the old set or the new one. Text, one line per segment:
/// <c>segment NAME appendable|sealed CLEAN_THROUGH</c>, after <c>avshard 1</c> and <c>next N</c>, ending with
/// <c>crc32c HEX</c> over the preceding bytes. Directories under <c>segments/</c> it does not list are leftovers.
/// </summary>
internal sealed record SegmentManifest(uint NextId, IReadOnlyList<SegmentManifest.Entry> Segments)
{
    public const string FileName = "segments.manifest";

    public sealed record Entry(string Name, bool Appendable, ulong CleanThrough);

    public void Write(string path)
    {
        var text = new StringBuilder();
        text.Append("avshard 1\n");
        text.Append(CultureInfo.InvariantCulture, $"next {NextId}\n");
        foreach (var s in Segments)
        {
            text.Append(CultureInfo.InvariantCulture, $"segment {s.Name} {(s.Appendable ? "appendable" : "sealed")} {s.CleanThrough}\n");
        }

        var body = Encoding.UTF8.GetBytes(text.ToString());
        var crc = Encoding.UTF8.GetBytes("crc32c " + Crc32C.Compute(body).ToString("x8", CultureInfo.InvariantCulture) + "\n");
        AtomicFile.WriteAllBytes(path, [.. body, .. crc]);
    }

    /// <exception cref="InvalidDataException">The file is damaged or not a manifest.</exception>
    public static SegmentManifest Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.UTF8.GetString(bytes);
        var crcAt = text.LastIndexOf("crc32c ", StringComparison.Ordinal);
        if (crcAt < 0 || !uint.TryParse(text.AsSpan(crcAt + 7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var crc)
            || Crc32C.Compute(Encoding.UTF8.GetBytes(text[..crcAt])) != crc)
        {
            throw new InvalidDataException($"Segment manifest '{path}' is damaged (checksum).");
        }

        var lines = text[..crcAt].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || lines[0] != "avshard 1" || !lines[1].StartsWith("next ", StringComparison.Ordinal)
            || !uint.TryParse(lines[1].AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var next))
        {
            throw new InvalidDataException($"Segment manifest '{path}' has an unknown format.");
        }

        var segments = new List<Entry>();
        foreach (var line in lines.Skip(2))
        {
            var parts = line.Split(' ');
            if (parts.Length != 4 || parts[0] != "segment" || parts[2] is not ("appendable" or "sealed")
                || !ulong.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var clean))
            {
                throw new InvalidDataException($"Segment manifest '{path}': bad line \"{line}\".");
            }

            segments.Add(new Entry(parts[1], parts[2] == "appendable", clean));
        }

        if (segments.Count(s => s.Appendable) != 1)
        {
            throw new InvalidDataException($"Segment manifest '{path}' must list exactly one appendable segment.");
        }

        return new SegmentManifest(next, segments);
    }
}
