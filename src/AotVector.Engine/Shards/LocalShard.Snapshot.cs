using System.Diagnostics;
using AotVector.Segment;

namespace AotVector.Engine.Shards;

/// <summary>
/// Point-in-time capture of the shard's files for a snapshot. Under the writer gate (writes and the optimizer's swaps
/// wait; searches go on) every segment is flushed at the applied version, so the segments' files alone hold every
/// acknowledged write and the WAL is not needed. Files that are only ever replaced whole (by a rename: the state file,
/// graphs, the manifest) are hard-linked, so later replacements leave the captured inode as it was; files written in
/// place (vectors, the delta, sparse vectors) are copied while the gate is held. The captured directory belongs to the
/// caller, so a merge that deletes a segment afterwards cannot take a file the snapshot still reads.
/// </summary>
internal sealed partial class LocalShard
{
    /// <summary>Copies the shard's durable state into <paramref name="target"/> (created); returns how long writes waited.</summary>
    public TimeSpan CaptureForSnapshot(string target)
    {
        Directory.CreateDirectory(target);
        lock (_writers)
        {
            var held = Stopwatch.StartNew();
            ObjectDisposedException.ThrowIf(_disposed, this);
            FlushAllLocked();
            foreach (var s in _segments)
            {
                var from = SegmentPath(s.Name);
                var to = Path.Combine(target, SegmentsDirectory, s.Name);
                Directory.CreateDirectory(to);
                foreach (var file in Directory.EnumerateFiles(from))
                {
                    var name = Path.GetFileName(file);
                    if (name.Contains(".tmp", StringComparison.Ordinal))
                    {
                        continue; // an atomic write's temp file: never part of the segment
                    }

                    CaptureFile(file, Path.Combine(to, name), ReplacedWhole(name));
                }
            }

            CaptureFile(Path.Combine(_directory, SegmentManifest.FileName), Path.Combine(target, SegmentManifest.FileName), link: true);
            return held.Elapsed;
        }
    }

    /// <summary>Runs while a snapshot capture holds writers off (tests write from another thread there).</summary>
    internal Action? DuringCaptureForTests { get; set; }

    // Files this build only ever replaces by renaming a new one over them.
    private static bool ReplacedWhole(string name) =>
        name == PointSegment.StateFileName || (name.StartsWith("hnsw-", StringComparison.Ordinal) && name.EndsWith(".bin", StringComparison.Ordinal));

    private static void CaptureFile(string from, string to, bool link)
    {
        if (link && AotVector.Storage.Files.HardLink.TryCreate(from, to))
        {
            return;
        }

        File.Copy(from, to, overwrite: false);
    }
}
