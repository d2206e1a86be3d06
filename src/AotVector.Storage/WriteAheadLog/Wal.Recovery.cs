using AotVector.Common.Errors;

namespace AotVector.Storage.WriteAheadLog;

public sealed partial class Wal
{
    /// <summary>
    /// Opens (creating if needed) the log in <paramref name="directory"/>: validates every segment and entry,
    /// cuts off a torn or corrupt tail (reported in <see cref="Recovery"/>) and positions appends after the
    /// last valid entry. Fails with <see cref="ErrorKind.BadRequest"/> on invalid options and with
    /// <see cref="ErrorKind.Internal"/> if a segment was written by a newer format version (nothing is
    /// modified then). I/O failures throw.
    /// </summary>
    public static Result<Wal> Open(string directory, WalOptions options)
    {
        if (options.SegmentCapacityBytes < WalFormat.SegmentHeaderSize + WalFormat.EntryHeaderSize)
        {
            return AvError.BadRequest($"WAL segment capacity must be at least {WalFormat.SegmentHeaderSize + WalFormat.EntryHeaderSize} bytes");
        }

        if (options.RetainClosedSegments < 0)
        {
            return AvError.BadRequest("WAL retained closed segment count must not be negative");
        }

        if (options.InitialSequence == 0)
        {
            return AvError.BadRequest("WAL initial sequence number must be at least 1");
        }

        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);

        // Pass 1 reads only, so a file from a newer version fails the open before anything is cut.
        var scans = new List<SegmentScan>();
        foreach (var path in Directory.EnumerateFiles(directory, "*" + WalFormat.FileExtension))
        {
            if (WalFormat.TryParseFileName(Path.GetFileName(path), out var first))
            {
                var scan = Scan(path, first);
                if (scan.Header == WalHeaderStatus.UnsupportedVersion)
                {
                    return AvError.Internal($"WAL segment '{path}' has format version {scan.Version}; this build reads version {WalFormat.Version}");
                }

                scans.Add(scan);
            }
        }

        scans.Sort(static (a, b) => a.FirstSequence.CompareTo(b.FirstSequence));
        return Recover(directory, options, scans);
    }

    private static Wal Recover(string directory, WalOptions options, List<SegmentScan> scans)
    {
        // Pass 2 keeps the longest valid prefix: truncate where the damage starts, delete every file after it.
        var segments = new List<WalSegment>();
        long truncatedBytes = 0;
        var droppedSegments = 0;
        string? detail = null;
        var cut = false;
        var nextSequence = options.InitialSequence;

        foreach (var scan in scans)
        {
            var fileName = Path.GetFileName(scan.Path);
            if (!cut && segments.Count > 0 && scan.FirstSequence != segments[^1].LastSequence + 1)
            {
                cut = true;
                detail = $"segment {fileName} does not continue the log at {segments[^1].LastSequence + 1}; it and later segments were dropped";
            }
            else if (!cut && scan.Header != WalHeaderStatus.Ok)
            {
                cut = true;
                detail = $"segment {fileName} has a bad header; it and later segments were dropped";
                if (segments.Count == 0)
                {
                    nextSequence = scan.FirstSequence;
                }
            }

            if (cut)
            {
                File.Delete(scan.Path);
                truncatedBytes += scan.FileLength;
                droppedSegments++;
                continue;
            }

            segments.Add(new WalSegment(scan.Path, scan.FirstSequence, scan.LastSequence, scan.ValidLength));
            if (scan.ValidLength < scan.FileLength)
            {
                cut = true;
                var reason = scan.StopReason == WalEntryStatus.Torn ? "torn" : "corrupt";
                detail = $"{reason} entry {scan.LastSequence + 1} at offset {scan.ValidLength} of {fileName}; {scan.FileLength - scan.ValidLength} bytes cut, later segments dropped";
                Truncate(scan.Path, scan.ValidLength);
                truncatedBytes += scan.FileLength - scan.ValidLength;
            }
        }

        if (droppedSegments > 0)
        {
            Files.AtomicFile.FlushDirectory(directory);
        }

        WalSegment current;
        if (segments.Count == 0)
        {
            current = WalSegment.Create(directory, nextSequence);
        }
        else
        {
            current = segments[^1];
            segments.RemoveAt(segments.Count - 1);
            current.OpenForAppend();
            try
            {
                // What we read may have been only in the page cache (a process crash); make it durable so
                // DurableSequence starts out true.
                RandomAccess.FlushToDisk(current.Handle!);
            }
            catch
            {
                current.CloseHandle();
                throw;
            }
        }

        return new Wal(directory, options, segments, current, new WalRecovery(truncatedBytes, droppedSegments, detail));
    }

    private static SegmentScan Scan(string path, ulong firstSequence)
    {
        using var reader = new WalSegmentReader(path);
        var fileLength = reader.FileLength;
        var header = reader.ReadHeader(firstSequence, out var version);
        if (header != WalHeaderStatus.Ok)
        {
            return new SegmentScan(path, firstSequence, fileLength, header, version, 0, firstSequence - 1, WalEntryStatus.Corrupt);
        }

        var validLength = reader.Position;
        var expected = firstSequence;
        WalEntryStatus status;
        while ((status = reader.ReadNext(expected, fileLength, skipPayload: false)) == WalEntryStatus.Ok)
        {
            validLength = reader.Position;
            expected++;
        }

        return new SegmentScan(path, firstSequence, fileLength, header, version, validLength, expected - 1, status);
    }

    private static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete);
        stream.SetLength(length);
        stream.Flush(flushToDisk: true);
    }

    private readonly record struct SegmentScan(
        string Path,
        ulong FirstSequence,
        long FileLength,
        WalHeaderStatus Header,
        uint Version,
        long ValidLength,
        ulong LastSequence,
        WalEntryStatus StopReason);
}
