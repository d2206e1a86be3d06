using System.Diagnostics;
using AotVector.Engine.Api;
using AotVector.Segment;
using AotVector.Storage.Files;

namespace AotVector.Engine.Shards;

/// <summary>
/// Point-in-time capture of the shard's files for a snapshot, with writers held off only while names are linked.
/// <list type="number">
/// <item>Under the writer gate (writes and the optimizer's swaps wait; searches go on) every segment is flushed at the
/// applied version V0, and every file of every segment is hard-linked into the capture: files replaced whole by a
/// rename (state, graphs, the manifest) keep their content at V0 through the link; the small delta files are copied.
/// The WAL is kept from being trimmed until the capture ends.</item>
/// <item>With writers running again, the files written in place (vectors, multivector rows, sparse vectors) are copied
/// through their links. They may hold changes newer than V0, so the capture ends by reading the WAL's last sequence
/// V1 and writing the entries V0+1..V1 into the capture's own WAL. On open the restored shard replays them: every
/// point touched after V0 is rewritten whole from the log (per-point versions make this exact), every other point is
/// as it was at V0. The result is the shard as of V1, which holds every write acknowledged before the capture began.</item>
/// </list>
/// The capture is the caller's directory of links and copies, so a merge that deletes a segment meanwhile cannot take
/// a file the snapshot still reads.
/// </summary>
internal sealed partial class LocalShard
{
    private int _capturing;

    /// <summary>Captures the shard's durable state into <paramref name="target"/> (created); returns how long writes waited.</summary>
    public TimeSpan CaptureForSnapshot(string target, WalConfig walConfig)
    {
        Directory.CreateDirectory(target);

        // Most of the flush's work (syncing vector pages and the WAL) happens here, before writers are held off.
        SyncBulk();
        var inPlace = new List<string>();
        ulong from;
        TimeSpan paused;
        Interlocked.Increment(ref _capturing);
        try
        {
            lock (_writers)
            {
                var held = Stopwatch.StartNew();
                ObjectDisposedException.ThrowIf(_disposed, this);
                FlushAllLocked();
                from = _appliedVersion;
                foreach (var s in _segments)
                {
                    var to = Path.Combine(target, SegmentsDirectory, s.Name);
                    Directory.CreateDirectory(to);
                    foreach (var file in Directory.EnumerateFiles(SegmentPath(s.Name)))
                    {
                        var name = Path.GetFileName(file);
                        if (name.Contains(".tmp", StringComparison.Ordinal))
                        {
                            continue; // an atomic write's temp file: never part of the segment
                        }

                        var captured = Path.Combine(to, name);
                        if (name == PointSegment.DeltaFileName || !HardLink.TryCreate(file, captured))
                        {
                            File.Copy(file, captured);
                        }
                        else if (!ReplacedWhole(name))
                        {
                            inPlace.Add(captured);
                        }
                    }
                }

                var manifest = Path.Combine(target, SegmentManifest.FileName);
                if (!HardLink.TryCreate(Path.Combine(_directory, SegmentManifest.FileName), manifest))
                {
                    File.Copy(Path.Combine(_directory, SegmentManifest.FileName), manifest);
                }

                paused = held.Elapsed;
            }

            DuringCaptureForTests?.Invoke();

            // The link shares the live file's content: a copy of it becomes the capture's own file.
            foreach (var linked in inPlace)
            {
                var copy = linked + ".copy";
                File.Copy(linked, copy);
                File.Move(copy, linked, overwrite: true);
            }

            CopyWalTail(Path.Combine(target, "wal"), walConfig, from);
        }
        finally
        {
            Interlocked.Decrement(ref _capturing);
        }

        return paused;
    }

    // The entries after `from`, up to the last one logged now, as the capture's WAL (same sequence numbers).
    private void CopyWalTail(string directory, WalConfig walConfig, ulong from)
    {
        var last = _wal.LastSequence;
        _wal.FlushUpTo(last);
        using var wal = OpenWal(directory, walConfig, from + 1);
        foreach (var (seq, payload) in _wal.ReadFrom(from + 1))
        {
            if (seq > last)
            {
                break;
            }

            var written = wal.Append(payload.Span);
            if (written != seq)
            {
                throw new InvalidDataException($"WAL entries are not contiguous at {seq} (the snapshot's copy got {written})");
            }
        }

        wal.Flush(durable: true);
    }

    /// <summary>Runs after a snapshot capture let writers go, before it copies files written in place (tests write there).</summary>
    internal Action? DuringCaptureForTests { get; set; }

    // Files this build only ever replaces by renaming a new one over them.
    private static bool ReplacedWhole(string name) =>
        name == PointSegment.StateFileName
        || ((name.StartsWith("hnsw-", StringComparison.Ordinal) || name.StartsWith("quant-", StringComparison.Ordinal)) && name.EndsWith(".bin", StringComparison.Ordinal));
}
