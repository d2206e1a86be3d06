using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using AotVector.Common.Errors;
using AotVector.Engine.Api;
using static AotVector.Engine.Tests.Snapshots.SnapshotFixture;

namespace AotVector.Engine.Tests.Snapshots;

/// <summary>Names and paths confined to the snapshots directory; hostile archives refused with the old data intact.</summary>
public sealed class SnapshotSafetyTests
{
    public static TheoryData<string> NotPlainNames => ["../x", "/etc/passwd", "a/b", ".", "..", "", "a\0b", "a\\b", "./x", "../c/x.snapshot", "..\\x"];

    [Theory]
    [MemberData(nameof(NotPlainNames))]
    public void NamesThatAreNotPlainFileNames_AreNotFound_ForOpenAndDelete(string name)
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 1);
        f.Create(new SnapshotScope.Collection("c"));
        foreach (var scope in new SnapshotScope[] { new SnapshotScope.Collection("c"), new SnapshotScope.Full(), new SnapshotScope.Shard("c", 0) })
        {
            var opened = f.Engine.OpenSnapshot(Full, scope, name);
            Assert.Equal(ErrorKind.NotFound, opened.Error!.Kind);
            Assert.Equal("Not found: Snapshot " + name, opened.Error.Message);
            var deleted = f.Engine.DeleteSnapshotAsync(Full, scope, name, default).Sync();
            Assert.Equal(ErrorKind.NotFound, deleted.Error!.Kind);
        }

        Assert.Single(Ok(f.Engine.ListSnapshots(Full, new SnapshotScope.Collection("c"))));
    }

    [Fact]
    public void LinksAndDirectoriesInTheSnapshotsDirectory_AreNotServed()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 1);
        f.Create(new SnapshotScope.Collection("c"));
        var dir = Path.Combine(f.SnapshotsPath, "c");
        var secret = Path.Combine(f.Root, "secret.snapshot");
        File.WriteAllText(secret, "secret");
        File.CreateSymbolicLink(Path.Combine(dir, "link.snapshot"), secret);
        Directory.CreateDirectory(Path.Combine(dir, "dir.snapshot"));
        var scope = new SnapshotScope.Collection("c");

        Assert.Equal(ErrorKind.NotFound, f.Engine.OpenSnapshot(Full, scope, "link.snapshot").Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, f.Engine.OpenSnapshot(Full, scope, "dir.snapshot").Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, f.Engine.DeleteSnapshotAsync(Full, scope, "link.snapshot", default).Sync().Error!.Kind);
        Assert.True(File.Exists(secret));
        Assert.Single(Ok(f.Engine.ListSnapshots(Full, scope)));

        // Another collection's snapshots are not reachable by name either.
        f.CreatePlain("d", 1);
        var theirs = f.Create(new SnapshotScope.Collection("d"));
        Assert.Equal(ErrorKind.NotFound, f.Engine.OpenSnapshot(Full, scope, theirs.Name).Error!.Kind);
    }

    [Fact]
    public void FileRecovery_IsConfinedToTheSnapshotsDirectory_WithNoExistenceOracle()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 2);
        var created = f.Create(new SnapshotScope.Collection("c"));
        var inside = f.PathOf(new SnapshotScope.Collection("c"), created.Name);
        var outsideExisting = Path.Combine(f.Root, "elsewhere.snapshot");
        File.Copy(inside, outsideExisting);
        var outsideMissing = Path.Combine(f.Root, "missing.snapshot");
        var link = Path.Combine(f.SnapshotsPath, "escape.snapshot");
        File.CreateSymbolicLink(link, outsideExisting);
        var dirLink = Path.Combine(f.SnapshotsPath, "up");
        Directory.CreateSymbolicLink(dirLink, f.Root);

        var existing = f.RecoverFile("c", outsideExisting);
        var missing = f.RecoverFile("c", outsideMissing);
        Assert.Equal(ErrorKind.Forbidden, existing.Error!.Kind);
        Assert.Equal(existing.Error.Message, missing.Error!.Message);
        Assert.StartsWith("Forbidden: Snapshot file path must be inside the snapshots directory", existing.Error.Message);
        Assert.Equal(existing.Error.Message, f.RecoverFile("c", Path.Combine(f.SnapshotsPath, "..", "elsewhere.snapshot")).Error!.Message);
        Assert.Equal(existing.Error.Message, f.RecoverFile("c", link).Error!.Message);
        Assert.Equal(existing.Error.Message, f.RecoverFile("c", Path.Combine(dirLink, "elsewhere.snapshot")).Error!.Message);
        Assert.Equal(ErrorKind.Forbidden, f.RecoverFile("c", "relative/path.snapshot").Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, f.RecoverFile("c", Path.Combine(f.SnapshotsPath, "nope.snapshot")).Error!.Kind);
        Ok(f.RecoverFile("c", inside));
    }

    public enum Hostile
    {
        SymlinkEntry,
        HardLinkEntry,
        ParentEntry,
        AbsoluteEntry,
        UnlistedEntry,
        ManyEntries,
        WrongHashInManifest,
        WrongSizeInManifest,
        Truncated,
        NoManifest,
        CharacterDevice,
    }

    [Theory]
    [InlineData(Hostile.SymlinkEntry, "forbidden entry type SymbolicLink")]
    [InlineData(Hostile.HardLinkEntry, "forbidden entry type HardLink")]
    [InlineData(Hostile.ParentEntry, "is not a plain relative path")]
    [InlineData(Hostile.AbsoluteEntry, "is not a plain relative path")]
    [InlineData(Hostile.UnlistedEntry, "is not listed in the manifest")]
    [InlineData(Hostile.ManyEntries, "too many entries")]
    [InlineData(Hostile.WrongHashInManifest, "does not match the manifest")]
    [InlineData(Hostile.WrongSizeInManifest, "the manifest says")]
    [InlineData(Hostile.Truncated, "Invalid snapshot archive")]
    [InlineData(Hostile.NoManifest, "the first entry is not manifest.json")]
    [InlineData(Hostile.CharacterDevice, "forbidden entry type CharacterDevice")]
    public void HostileArchives_AreRefused_WithNoDebrisAndTheOldDataIntact(Hostile kind, string expected)
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 6);
        var created = f.Create(new SnapshotScope.Collection("c"));
        var good = f.PathOf(new SnapshotScope.Collection("c"), created.Name);
        var before = f.AllPoints("c");
        var hostile = Path.Combine(f.SnapshotsPath, "hostile.snapshot");
        Build(good, hostile, kind);

        var result = f.RecoverFile("c", hostile);
        Assert.False(result.IsOk);
        Assert.Equal(ErrorKind.BadRequest, result.Error!.Kind);
        Assert.StartsWith("Wrong input: Invalid snapshot archive", result.Error.Message);
        Assert.Contains(expected, result.Error.Message);
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Empty(f.Debris());
        Assert.False(File.Exists(Path.Combine(f.Root, "escaped")));
        Assert.False(File.Exists("/tmp/aotvector-escaped-" + kind));

        // A new collection is not left half-created either.
        var fresh = f.RecoverFile("fresh", hostile);
        Assert.False(fresh.IsOk);
        Assert.Equal(ErrorKind.NotFound, f.Engine.GetInfo(Full, "fresh").Error!.Kind);
        f.Reopen();
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Equal(ErrorKind.NotFound, f.Engine.GetInfo(Full, "fresh").Error!.Kind);
    }

    // Rewrites a good snapshot into a hostile one.
    private static void Build(string good, string hostile, Hostile kind)
    {
        if (kind == Hostile.Truncated)
        {
            var bytes = File.ReadAllBytes(good);
            File.WriteAllBytes(hostile, bytes[..(bytes.Length * 2 / 3)]);
            return;
        }

        var entries = new List<(string Name, byte[] Data)>();
        using (var input = File.OpenRead(good))
        using (var reader = new TarReader(input))
        {
            while (reader.GetNextEntry() is { } e)
            {
                using var data = new MemoryStream();
                e.DataStream?.CopyTo(data);
                entries.Add((e.Name, data.ToArray()));
            }
        }

        var manifest = JsonNode.Parse(entries[0].Data)!;
        var files = manifest["files"]!.AsArray();
        var seg = files.Select(n => n!["path"]!.GetValue<string>()).First(p => p.EndsWith("segment.state", StringComparison.Ordinal));
        using var output = File.Create(hostile);
        using var tar = new TarWriter(output, TarEntryFormat.Pax);
        void File_(string name, byte[] data) => tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        void Manifest() => File_("manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));

        switch (kind)
        {
            case Hostile.WrongHashInManifest:
                files.First(n => n!["path"]!.GetValue<string>() == seg)!["sha256"] = new string('1', 64);
                break;
            case Hostile.WrongSizeInManifest:
                files.First(n => n!["path"]!.GetValue<string>() == seg)!["size"] = 3;
                break;
        }

        if (kind != Hostile.NoManifest)
        {
            Manifest();
        }

        switch (kind)
        {
            case Hostile.SymlinkEntry:
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "0/escape") { LinkName = "/tmp" });
                break;
            case Hostile.HardLinkEntry:
                tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "0/escape") { LinkName = "/etc/passwd" });
                break;
            case Hostile.ParentEntry:
                File_("../escaped", [1]);
                break;
            case Hostile.AbsoluteEntry:
                File_("/tmp/aotvector-escaped-" + kind, [1]);
                break;
            case Hostile.UnlistedEntry:
                File_("0/extra.bin", [1, 2, 3]);
                break;
            case Hostile.ManyEntries:
                for (var i = 0; i < (entries.Count * 2) + 2000; i++)
                {
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "d" + i));
                }

                break;
            case Hostile.CharacterDevice:
                tar.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "0/dev") { DeviceMajor = 1, DeviceMinor = 3 });
                break;
        }

        foreach (var (name, data) in entries.Skip(1))
        {
            File_(name, data);
        }
    }

    [Fact]
    public void AFailureAfterExtraction_LeavesTheOldCollectionServing_AndNoDebris()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 3);
        var created = f.Create(new SnapshotScope.Collection("c"));
        f.Upsert("c", PlainPoint(4));
        var before = f.AllPoints("c");
        f.Engine.AfterRestoreExtractedForTests = () => throw new IOException("injected fault before the switch");

        var result = f.RecoverFile("c", f.PathOf(new SnapshotScope.Collection("c"), created.Name));
        Assert.Equal(ErrorKind.Internal, result.Error!.Kind);
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Empty(f.Debris());

        // A failure between the two renames puts the old directory back before answering.
        f.Engine.AfterRestoreExtractedForTests = null;
        f.Engine.TocForTests.BetweenRestoreRenamesForTests = () => throw new IOException("injected fault mid-switch");
        result = f.RecoverFile("c", f.PathOf(new SnapshotScope.Collection("c"), created.Name));
        Assert.False(result.IsOk);
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Empty(f.Debris());
        f.Reopen();
        AssertSamePoints(before, f.AllPoints("c"));
    }

    [Fact]
    public void ACrashBetweenTheRenames_IsRolledBackAtTheNextStart()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 3);
        var before = f.AllPoints("c");
        f.Close();

        // What a kill -9 between moving the old directory aside and moving the restored one in leaves behind.
        var target = Path.Combine(f.StoragePath, "collections", "c");
        var work = Path.Combine(f.StoragePath, "tmp", "restore-crashed");
        Directory.CreateDirectory(Path.Combine(work, "new"));
        File.WriteAllText(Path.Combine(work, "new", "half"), "restored data, never switched in");
        File.WriteAllText(Path.Combine(work, "switch"), target);
        Directory.Move(target, Path.Combine(work, "old"));

        f.Reopen();
        AssertSamePoints(before, f.AllPoints("c"));
        Assert.Empty(f.Debris());
    }
}
