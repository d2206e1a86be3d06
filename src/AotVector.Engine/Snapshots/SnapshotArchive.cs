using System.Formats.Tar;
using System.Security.Cryptography;

namespace AotVector.Engine.Snapshots;

/// <summary>
/// Writes and reads snapshot archives: an uncompressed tar (PAX) whose first entry is <c>manifest.json</c>, followed
/// by the files it lists, streamed one at a time so no snapshot is ever held in memory.
/// </summary>
internal static class SnapshotArchive
{
    private const int CopyBuffer = 1 << 20;

    /// <summary>
    /// Archives every file under <paramref name="source"/> (paths relative to it) into <paramref name="archivePath"/>
    /// (created), after a first pass that sizes and hashes them for the manifest. Returns the archive's SHA-256 (hex).
    /// </summary>
    public static string Write(string source, string archivePath, SnapshotKind kind, IReadOnlyList<SnapshotManifest.CollectionEntry> collections, DateTimeOffset created, CancellationToken ct)
    {
        var files = new List<SnapshotManifest.FileEntry>();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/');
            using var stream = OpenRead(file);
            files.Add(new SnapshotManifest.FileEntry(relative, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream))));
        }

        var manifest = new SnapshotManifest(SnapshotManifest.CurrentFormat, kind, EngineVersion.Text, created, collections, files);
        using var output = new FileStream(archivePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBuffer);
        using var hashing = new HashingStream(output);
        using (var tar = new TarWriter(hashing, TarEntryFormat.Pax, leaveOpen: true))
        {
            var json = manifest.ToJson();
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, SnapshotManifest.EntryName) { DataStream = new MemoryStream(json), ModificationTime = created });
            foreach (var f in files)
            {
                ct.ThrowIfCancellationRequested();
                using var data = OpenRead(Path.Combine(source, f.Path));
                if (data.Length != f.Size)
                {
                    throw new IOException($"snapshot file {f.Path} changed while the snapshot was written");
                }

                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, f.Path) { DataStream = data, ModificationTime = created });
            }
        }

        output.Flush(flushToDisk: true);
        return hashing.HexHash();
    }

    private static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, CopyBuffer, FileOptions.SequentialScan);

    /// <summary>
    /// Extracts a snapshot into <paramref name="target"/> (which must not exist), refusing anything but the manifest
    /// and the regular files and directories it accounts for: no links, devices, absolute or ".." names, no file not
    /// listed or listed with another size, no more entries than the limits. Every file's SHA-256 is checked against
    /// the manifest, and every listed file must be present. On any refusal the target is removed and the message says why.
    /// </summary>
    public static SnapshotManifest Extract(string archivePath, string target, CancellationToken ct)
    {
        Directory.CreateDirectory(target);
        var root = Path.GetFullPath(target);
        try
        {
            return ExtractInto(archivePath, root, ct);
        }
        catch
        {
            TryDeleteDirectory(root);
            throw;
        }
    }

    private static SnapshotManifest ExtractInto(string archivePath, string root, CancellationToken ct)
    {
        using var input = OpenRead(archivePath);
        using var tar = new TarReader(input, leaveOpen: true);
        var first = tar.GetNextEntry(copyData: false) ?? throw Damaged("the archive is empty");
        if (first.Name != SnapshotManifest.EntryName || !IsRegular(first.EntryType) || first.DataStream is null)
        {
            throw Damaged("the first entry is not manifest.json (not an AotVector snapshot)");
        }

        if (first.Length > SnapshotManifest.MaxBytes)
        {
            throw Damaged("manifest.json is too large");
        }

        var json = new byte[first.Length];
        first.DataStream.ReadExactly(json);
        var manifest = SnapshotManifest.Parse(json);
        var expected = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
        long listed = 0;
        foreach (var f in manifest.Files)
        {
            listed += f.Size;
        }

        if (listed > input.Length)
        {
            throw Damaged("the manifest lists more data than the archive holds");
        }

        var entries = 0;
        var maxEntries = manifest.Files.Count * 2L + 1024;
        while (tar.GetNextEntry(copyData: false) is { } entry)
        {
            ct.ThrowIfCancellationRequested();
            if (++entries > maxEntries)
            {
                throw Damaged("too many entries");
            }

            var name = SnapshotPaths.Normalize(entry.Name) ?? throw Damaged($"entry \"{Printable(entry.Name)}\" is not a plain relative path");
            var path = Path.GetFullPath(Path.Combine(root, name.Replace('/', Path.DirectorySeparatorChar)));
            if (!SnapshotPaths.IsInside(path, root))
            {
                throw Damaged($"entry \"{Printable(entry.Name)}\" is outside the snapshot");
            }

            if (entry.EntryType == TarEntryType.Directory)
            {
                Directory.CreateDirectory(path);
                continue;
            }

            if (!IsRegular(entry.EntryType))
            {
                throw Damaged($"forbidden entry type {entry.EntryType} in tar archive (\"{Printable(entry.Name)}\")");
            }

            if (!expected.Remove(name, out var file))
            {
                throw Damaged($"entry \"{name}\" is not listed in the manifest, or appears twice");
            }

            if (entry.Length != file.Size)
            {
                throw Damaged($"entry \"{name}\" is {entry.Length} bytes; the manifest says {file.Size}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBuffer))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[CopyBuffer];
                long left = file.Size;
                var data = entry.DataStream;
                while (left > 0)
                {
                    var read = data!.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                    if (read == 0)
                    {
                        throw Damaged($"entry \"{name}\" is cut short (truncated archive)");
                    }

                    hash.AppendData(buffer, 0, read);
                    output.Write(buffer, 0, read);
                    left -= read;
                }

                if (Convert.ToHexStringLower(hash.GetHashAndReset()) != file.Sha256)
                {
                    throw Damaged($"the SHA-256 of \"{name}\" does not match the manifest");
                }

                output.Flush(flushToDisk: true);
            }
        }

        if (expected.Count > 0)
        {
            throw Damaged($"{expected.Count} file(s) listed in the manifest are missing, e.g. \"{expected.Keys.First()}\" (truncated archive?)");
        }

        return manifest;
    }

    private static bool IsRegular(TarEntryType type) => type is TarEntryType.RegularFile or TarEntryType.V7RegularFile;

    private static string Printable(string name) => new([.. name.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    private static InvalidDataException Damaged(string why) => new("Invalid snapshot archive: " + why);

    public static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>SHA-256 (hex) of a whole file, streamed.</summary>
    public static string HashFile(string path, CancellationToken ct)
    {
        using var stream = OpenRead(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[CopyBuffer];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A write-only pass-through that hashes what goes by, so the archive's checksum costs no second read.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;

        public string HexHash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _position;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
            _position += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
