using System.Formats.Tar;
using System.Security.Cryptography;
using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using static AotVector.Engine.Tests.Snapshots.SnapshotFixture;

namespace AotVector.Engine.Tests.Snapshots;

/// <summary>Creating, listing, downloading and deleting snapshots, and recovering them into this or a fresh engine.</summary>
public sealed class SnapshotLifecycleTests
{
    [Fact]
    public void CreateListOpenDelete_CollectionSnapshot()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 10);
        var scope = new SnapshotScope.Collection("c");
        var created = f.Create(scope);

        Assert.Matches(@"^c-\d+-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.snapshot$", created.Name);
        var path = f.PathOf(scope, created.Name);
        Assert.True(File.Exists(path));
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Equal(hash, created.Checksum);
        Assert.Equal(hash, File.ReadAllText(path + ".checksum"));
        Assert.Equal(new FileInfo(path).Length, created.Size);

        // A second one in the same second gets the next second's name; the list is newest first.
        var second = f.Create(scope);
        Assert.NotEqual(created.Name, second.Name);
        var listed = Ok(f.Engine.ListSnapshots(Full, scope));
        Assert.Equal([second.Name, created.Name], listed.Select(d => d.Name));

        // The reference's snapshot metrics: two created, none running.
        Assert.Equal(new SnapshotActivity(0, 0, 2), f.Engine.Reports(Full).Single(r => r.Name == "c").Snapshots);
        Assert.All(listed, d => Assert.NotNull(d.Checksum));

        var download = Ok(f.Engine.OpenSnapshot(Full, scope, created.Name));
        using (download.Content)
        {
            Assert.Equal(created.Size, download.Length);
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(download.Content)));
        }

        Assert.True(Ok(f.Engine.DeleteSnapshotAsync(Full, scope, created.Name, default).Sync()));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".checksum"));
        var again = f.Engine.DeleteSnapshotAsync(Full, scope, created.Name, default).Sync();
        Assert.Equal(ErrorKind.NotFound, again.Error!.Kind);
        Assert.Equal([second.Name], Ok(f.Engine.ListSnapshots(Full, scope)).Select(d => d.Name));
        Assert.Empty(f.Debris());
    }

    [Fact]
    public void ShardSnapshots_LiveUnderTheCollection_AndOnlyShardZeroExists()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 3);
        var created = f.Create(new SnapshotScope.Shard("c", 0));
        Assert.Matches(@"^c-shard-0-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.snapshot$", created.Name);
        Assert.True(File.Exists(f.PathOf(new SnapshotScope.Shard("c", 0), created.Name)));
        Assert.Empty(Ok(f.Engine.ListSnapshots(Full, new SnapshotScope.Collection("c"))));

        var other = f.Engine.CreateSnapshotAsync(Full, new SnapshotScope.Shard("c", 1), default).Sync();
        Assert.Equal("Not found: shard 1", other.Error!.Message);
        Assert.Equal("Not found: shard 1", f.Engine.ListSnapshots(Full, new SnapshotScope.Shard("c", 1)).Error!.Message);

        // Recovering the shard snapshot brings the shard back to its state.
        f.Upsert("c", PlainPoint(50));
        var recovered = f.Engine.RecoverSnapshotAsync(Full, new SnapshotScope.Shard("c", 0), new SnapshotRecoverRequest(new SnapshotSource.LocalFile(f.PathOf(new SnapshotScope.Shard("c", 0), created.Name)), SnapshotPriority.Snapshot, null), default).Sync();
        Ok(recovered);
        Assert.Equal(["1", "2", "3"], f.AllPoints("c").Keys);
    }

    [Fact]
    public void Recover_IntoAFreshEngine_GivesTheSamePointsPayloadsVectorsAndIndexes()
    {
        using var source = new SnapshotFixture();
        var request = new CreateCollectionRequest("h", new VectorsConfig(null, new Dictionary<string, VectorParams>
        {
            ["dense"] = new(3, Distance.Cosine),
            ["multi"] = new(2, Distance.Dot, MultivectorConfig: new MultiVectorConfig(MultiVectorComparator.MaxSim)),
        }))
        {
            SparseVectors = new Dictionary<string, SparseVectorParams> { ["text"] = new(null, SparseModifier.Idf) },
        };
        Ok(source.Engine.CreateAsync(Full, request, default).Sync());
        Ok(source.Engine.UpdateAsync(Full, "h", new CreateFieldIndex("tag", PayloadSchemaType.Keyword), new WriteOptions(true), default).Sync());
        var random = new Random(20);
        var points = Enumerable.Range(1, 300).Select(i => new PointStruct((ulong)i, new Dictionary<string, VectorData>
        {
            ["dense"] = new float[] { (float)random.NextDouble(), (float)random.NextDouble(), 1 },
            ["multi"] = new MultiDenseVector([(float)random.NextDouble(), 1, 2, (float)random.NextDouble()], 2),
            ["text"] = new SparseVector([(uint)i, 1000], [1f, (float)random.NextDouble()]),
        }, new Payload { ["tag"] = PayloadValue.FromString("t" + (i % 5)), ["i"] = PayloadValue.FromInteger(i) })).ToArray();
        source.Upsert("h", points);
        Ok(source.Engine.UpdateAsync(Full, "h", new DeletePoints(new PointsSelector([7ul, 8ul], null)), new WriteOptions(true), default).Sync());
        var created = source.Create(new SnapshotScope.Collection("h"));
        var expected = source.AllPoints("h");
        var expectedInfo = Ok(source.Engine.GetInfo(Full, "h"));

        using var target = new SnapshotFixture();
        Directory.CreateDirectory(target.SnapshotsPath);
        var copy = Path.Combine(target.SnapshotsPath, created.Name);
        File.Copy(source.PathOf(new SnapshotScope.Collection("h"), created.Name), copy);
        Ok(target.RecoverFile("restored", copy, created.Checksum));

        AssertSamePoints(expected, target.AllPoints("restored"));
        var info = Ok(target.Engine.GetInfo(Full, "restored"));
        Assert.Equal(expectedInfo.PointsCount, info.PointsCount);
        Assert.Equal(expectedInfo.PayloadSchema.Keys, info.PayloadSchema.Keys);
        Assert.Equal(PayloadSchemaType.Keyword, info.PayloadSchema["tag"].DataType);
        Assert.Equal(expectedInfo.Config.Params.SparseVectors!.Keys, info.Config.Params.SparseVectors!.Keys);
        Assert.NotNull(info.Config.Params.Vectors.Named!["multi"].MultivectorConfig);

        // It survives a restart of the target.
        target.Reopen();
        AssertSamePoints(expected, target.AllPoints("restored"));
        Assert.Empty(target.Debris());
    }

    [Fact]
    public void FullSnapshot_RestoresEveryCollectionAndTheAliases_AtStartup()
    {
        using var source = new SnapshotFixture();
        source.CreatePlain("a", 20);
        source.CreatePlain("b", 5, offset: 100);
        Ok(source.Engine.UpdateAliasesAsync(Full, [new CreateAlias("a", "alias-a")], default).Sync());
        var full = source.Create(new SnapshotScope.Full());
        Assert.Matches(@"^full-snapshot-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.snapshot$", full.Name);
        Assert.Equal([full.Name], Ok(source.Engine.ListSnapshots(Full, new SnapshotScope.Full())).Select(d => d.Name));

        using var target = new SnapshotFixture();
        target.CreatePlain("b", 2, offset: 7);
        target.CreatePlain("kept", 1);
        var restored = Ok(target.Engine.RecoverStorageFromStartupFile(source.PathOf(new SnapshotScope.Full(), full.Name)));
        Assert.Equal(["a", "b"], restored.Order(StringComparer.Ordinal));
        AssertSamePoints(source.AllPoints("a"), target.AllPoints("a"));
        AssertSamePoints(source.AllPoints("b"), target.AllPoints("b"));
        Assert.Single(target.AllPoints("kept"));
        Assert.Contains(Ok(target.Engine.ListAliases(Full)), a => a.AliasName == "alias-a" && a.CollectionName == "a");

        // A full snapshot is not recovered through the API.
        var refused = target.RecoverFile("a", source.PathOf(new SnapshotScope.Full(), full.Name));
        Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind); // outside the target's snapshots directory
        Directory.CreateDirectory(target.SnapshotsPath);
        var inside = Path.Combine(target.SnapshotsPath, full.Name);
        File.Copy(source.PathOf(new SnapshotScope.Full(), full.Name), inside);
        Assert.Contains("--storage-snapshot", target.RecoverFile("a", inside).Error!.Message);
    }

    [Fact]
    public void Snapshot_UnderConcurrentWrites_HoldsEveryWriteAcknowledgedBeforeItBegan()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 0);
        var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<ulong>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            ulong next = 1;
            while (!stop.IsCancellationRequested)
            {
                var batch = Enumerable.Range(0, 20).Select(i => PlainPoint(next + (ulong)i)).ToArray();
                f.Upsert("c", batch);
                foreach (var p in batch)
                {
                    acknowledged.Enqueue(p.Id.Num);
                }

                next += 20;
            }
        });

        SpinWait.SpinUntil(() => acknowledged.Count >= 2000, TimeSpan.FromMinutes(2));
        var before = acknowledged.ToArray();
        var created = f.Create(new SnapshotScope.Collection("c"));
        SpinWait.SpinUntil(() => acknowledged.Count >= before.Length + 500, TimeSpan.FromMinutes(1));
        stop.Cancel();
        writer.Sync();

        Directory.CreateDirectory(f.SnapshotsPath);
        Ok(f.RecoverFile("copy", f.PathOf(new SnapshotScope.Collection("c"), created.Name)));
        var restored = f.AllPoints("copy");
        Assert.All(before, id => Assert.Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture), restored.Keys));

        // Nothing half-applied: every point there is whole, as written.
        foreach (var (id, p) in restored)
        {
            var n = ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(PlainPoint(n).Payload, p.Payload);
            Assert.Equal(new DenseVector([n, 0]), p.Vectors![""]);
        }

        // And the ids form a prefix of what was written: writes are applied in order.
        var max = restored.Keys.Select(k => ulong.Parse(k, System.Globalization.CultureInfo.InvariantCulture)).Max();
        Assert.Equal((int)max, restored.Count);
    }

    [Fact]
    public void WritesWhileFilesAreCopied_AreInTheSnapshotWhole_ThroughItsWal()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 200);
        var shard = f.Engine.CollectionForTests("c").LocalShards[0];
        shard.DuringCaptureForTests = () =>
        {
            // Overwrites in place, after the capture's flush point: vectors and payloads change together.
            f.Upsert("c", Enumerable.Range(1, 50).Select(i => PlainPoint((ulong)i, offset: 7)).ToArray());
            Ok(f.Engine.UpdateAsync(Full, "c", new DeletePoints(new PointsSelector([199ul, 200ul], null)), new WriteOptions(true), default).Sync());
        };
        var created = f.Create(new SnapshotScope.Collection("c"));
        shard.DuringCaptureForTests = null;
        f.Upsert("c", PlainPoint(300));

        Ok(f.RecoverFile("copy", f.PathOf(new SnapshotScope.Collection("c"), created.Name)));
        var restored = f.AllPoints("copy");
        Assert.Equal(198, restored.Count);
        foreach (var (id, p) in restored)
        {
            var n = ulong.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
            var offset = n <= 50 ? 7 : 0;
            Assert.Equal(PlainPoint(n, offset).Payload, p.Payload);
            Assert.Equal(new DenseVector([n, offset]), p.Vectors![""]);
        }
    }

    [Fact]
    public void Recover_ReplacesAnExistingCollection_AndKeepsItsAliases()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 5);
        Ok(f.Engine.UpdateAliasesAsync(Full, [new CreateAlias("c", "al")], default).Sync());
        var created = f.Create(new SnapshotScope.Collection("c"));
        f.Upsert("c", PlainPoint(6), PlainPoint(7));
        Assert.Equal(7, f.AllPoints("c").Count);

        Ok(f.RecoverFile("al", f.PathOf(new SnapshotScope.Collection("c"), created.Name)));
        Assert.Equal(["1", "2", "3", "4", "5"], f.AllPoints("c").Keys);
        Assert.Equal(5, f.AllPoints("al").Count);
        f.Reopen();
        Assert.Equal(5, f.AllPoints("c").Count);
        f.Upsert("c", PlainPoint(8));
        Assert.Equal(6, f.AllPoints("c").Count);
    }

    [Fact]
    public void Checksum_IsVerified_WhenGiven()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 3);
        var created = f.Create(new SnapshotScope.Collection("c"));
        var wrong = new string('0', 64);
        var result = f.RecoverFile("c", f.PathOf(new SnapshotScope.Collection("c"), created.Name), wrong);
        Assert.Equal(ErrorKind.BadRequest, result.Error!.Kind);
        Assert.Equal($"Wrong input: Snapshot checksum mismatch: expected {wrong}, got {created.Checksum}", result.Error.Message);
        Ok(f.RecoverFile("c", f.PathOf(new SnapshotScope.Collection("c"), created.Name), created.Checksum!.ToUpperInvariant()));
    }

    [Fact]
    public void UploadedSnapshots_AreRecovered_AndAlwaysDeleted()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 4);
        var created = f.Create(new SnapshotScope.Collection("c"));
        var scope = new SnapshotScope.Collection("new-one");

        var upload = Ok(f.Engine.ReserveUpload(Full, scope));
        File.Copy(f.PathOf(new SnapshotScope.Collection("c"), created.Name), upload);
        Ok(f.Engine.RecoverSnapshotAsync(Full, scope, new SnapshotRecoverRequest(new SnapshotSource.Uploaded(upload), SnapshotPriority.NoSync, null), default).Sync());
        Assert.False(File.Exists(upload));
        Assert.Equal(4, f.AllPoints("new-one").Count);

        var bad = Ok(f.Engine.ReserveUpload(Full, scope));
        File.WriteAllText(bad, "not a tar archive at all");
        var refused = f.Engine.RecoverSnapshotAsync(Full, scope, new SnapshotRecoverRequest(new SnapshotSource.Uploaded(bad), null, null), default).Sync();
        Assert.Equal(ErrorKind.BadRequest, refused.Error!.Kind);
        Assert.False(File.Exists(bad));
        Assert.Equal(4, f.AllPoints("new-one").Count);
        Assert.Empty(f.Debris());
    }

    [Fact]
    public void UrlRecovery_UsesTheFetcher_OrIsRefusedWhenDisabled()
    {
        string source;
        using var origin = new SnapshotFixture();
        origin.CreatePlain("c", 3);
        source = origin.PathOf(new SnapshotScope.Collection("c"), origin.Create(new SnapshotScope.Collection("c")).Name);
        var fetcher = new CopyingFetcher(source);
        var request = new SnapshotRecoverRequest(new SnapshotSource.Url(new Uri("http://example.test/c.snapshot"), null), null, null);

        using (var disabled = new SnapshotFixture(o => o with { SnapshotUrlRecovery = false, SnapshotFetcher = fetcher }))
        {
            var refused = disabled.Engine.RecoverSnapshotAsync(Full, new SnapshotScope.Collection("c"), request, default).Sync();
            Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind);
            Assert.Equal("Forbidden: Snapshot recovery from remote URLs is disabled in the configuration", refused.Error.Message);
            Assert.Equal(0, fetcher.Calls);
        }

        using var enabled = new SnapshotFixture(o => o with { SnapshotFetcher = fetcher });
        Ok(enabled.Engine.RecoverSnapshotAsync(Full, new SnapshotScope.Collection("c"), request, default).Sync());
        Assert.Equal(1, fetcher.Calls);
        Assert.Equal(3, enabled.AllPoints("c").Count);
        Assert.Empty(enabled.Debris());
    }

    [Fact]
    public void Startup_RemovesHalfWrittenSnapshotsAndTempFiles()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 2);
        var created = f.Create(new SnapshotScope.Collection("c"));
        f.Close();
        var dir = Path.Combine(f.SnapshotsPath, "c");
        File.WriteAllText(Path.Combine(dir, "c-1-2020-01-01-00-00-00.snapshot.partial"), "half");
        File.WriteAllText(Path.Combine(dir, "c-1-2020-01-01-00-00-01.snapshot.checksum"), new string('a', 64));
        Directory.CreateDirectory(Path.Combine(f.StoragePath, "tmp", "snapshot-x", "0"));
        File.WriteAllText(Path.Combine(f.StoragePath, "tmp", "snapshot-x", "0", "f"), "capture");

        f.Reopen();
        Assert.Equal([created.Name, created.Name + ".checksum"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(f.Debris());
        Assert.Equal([created.Name], Ok(f.Engine.ListSnapshots(Full, new SnapshotScope.Collection("c"))).Select(d => d.Name));
    }

    [Fact]
    public void ArchiveFormat_StartsWithTheManifest_ListingEveryFileWithItsHash()
    {
        using var f = new SnapshotFixture();
        f.CreatePlain("c", 3);
        var created = f.Create(new SnapshotScope.Collection("c"));
        using var stream = File.OpenRead(f.PathOf(new SnapshotScope.Collection("c"), created.Name));
        using var tar = new TarReader(stream);
        var first = tar.GetNextEntry()!;
        Assert.Equal("manifest.json", first.Name);
        using var manifest = System.Text.Json.JsonDocument.Parse(first.DataStream!);
        var root = manifest.RootElement;
        Assert.Equal("aotvector-snapshot", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal("collection", root.GetProperty("kind").GetString());
        Assert.Equal("c", root.GetProperty("collections")[0].GetProperty("name").GetString());
        var listed = root.GetProperty("files").EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("sha256").GetString()!);
        Assert.Contains("collection.json", listed.Keys);
        Assert.Contains("0/segments.manifest", listed.Keys);
        var seen = 0;
        while (tar.GetNextEntry() is { } entry)
        {
            Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
            Assert.Equal(listed[entry.Name], Convert.ToHexStringLower(SHA256.HashData(entry.DataStream!)));
            seen++;
        }

        Assert.Equal(listed.Count, seen);
    }
}
