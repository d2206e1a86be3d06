using AotVector.Common.Errors;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Engine.Operations;
using AotVector.Engine.Ports;
using AotVector.Testing;

namespace AotVector.Engine.Tests.Snapshots;

/// <summary>An engine whose storage and snapshots directory both lie in one fresh temp directory.</summary>
internal sealed class SnapshotFixture : IDisposable
{
    private readonly TempDirectory _dir = new("snapshots");
    private readonly Func<EngineOptions, EngineOptions> _configure;

    public SnapshotFixture(Func<EngineOptions, EngineOptions>? configure = null)
    {
        _configure = configure ?? (o => o);
        Engine = VectorEngine.Open(Options);
    }

    public EngineOptions Options => _configure(EngineOptions.Defaults(_dir.Combine("storage")) with { SnapshotsPath = SnapshotsPath });

    public string Root => _dir.Path;

    public string StoragePath => _dir.Combine("storage");

    public string SnapshotsPath => _dir.Combine("snapshots");

    public VectorEngine Engine { get; private set; }

    public static AccessContext Full => AccessContext.Full;

    public void Reopen()
    {
        Engine.Dispose();
        Engine = VectorEngine.Open(Options);
    }

    public void Close() => Engine.Dispose();

    /// <summary>A collection with a plain dense vector "" (2 dims), and points 1..n with payload {"n": id, "tag": "t{id % 3}"}.</summary>
    public void CreatePlain(string name, int points, int offset = 0)
    {
        Ok(Engine.CreateAsync(Full, new CreateCollectionRequest(name, new VectorsConfig(new VectorParams(2, Distance.Dot), null)), default).AsTask().Result);
        if (points > 0)
        {
            Upsert(name, Enumerable.Range(1, points).Select(i => PlainPoint((ulong)i, offset)).ToArray());
        }
    }

    public static PointStruct PlainPoint(ulong id, int offset = 0)
    {
        var payload = new Payload { ["n"] = PayloadValue.FromInteger((long)id + offset), ["tag"] = PayloadValue.FromString("t" + (id % 3)) };
        return new PointStruct(id, new Dictionary<string, VectorData> { [""] = new float[] { id, offset } }, payload);
    }

    public void Upsert(string collection, params PointStruct[] points) =>
        Ok(Engine.UpdateAsync(Full, collection, new UpsertPoints(points), new WriteOptions(true), default).AsTask().Result);

    public SnapshotDescription Create(SnapshotScope scope) => Ok(Engine.CreateSnapshotAsync(Full, scope, default).AsTask().Result);

    public string PathOf(SnapshotScope scope, string name) => scope switch
    {
        SnapshotScope.Collection c => Path.Combine(SnapshotsPath, c.Name, name),
        SnapshotScope.Shard s => Path.Combine(SnapshotsPath, s.Name, "shards", s.ShardId.ToString(System.Globalization.CultureInfo.InvariantCulture), name),
        _ => Path.Combine(SnapshotsPath, name),
    };

    public Result<bool> RecoverFile(string collection, string path, string? checksum = null) =>
        Engine.RecoverSnapshotAsync(Full, new SnapshotScope.Collection(collection), new SnapshotRecoverRequest(new SnapshotSource.LocalFile(path), null, checksum), default).AsTask().Result;

    /// <summary>Every point of the collection, by id, with payload and vectors.</summary>
    public SortedDictionary<string, PointRecord> AllPoints(string collection)
    {
        var all = new SortedDictionary<string, PointRecord>(StringComparer.Ordinal);
        PointId? offset = null;
        do
        {
            var page = Ok(Engine.ScrollAsync(Full, collection, new ScrollRequest(null, 1000, offset, WithPayload.All, new WithVector(true)), default).AsTask().Result);
            foreach (var p in page.Points)
            {
                all[p.Id.ToString()!] = p;
            }

            offset = page.NextPageOffset;
        }
        while (offset is not null);
        return all;
    }

    public static void AssertSamePoints(SortedDictionary<string, PointRecord> expected, SortedDictionary<string, PointRecord> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (id, e) in expected)
        {
            var a = actual[id];
            Assert.True(Equals(e.Payload, a.Payload) || (e.Payload is null or { Count: 0 } && a.Payload is null or { Count: 0 }), $"payload of point {id} differs");
            Assert.Equal(e.Vectors!.Keys.Order(StringComparer.Ordinal), a.Vectors!.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, v) in e.Vectors)
            {
                Assert.True(v.Equals(a.Vectors[name]), $"vector \"{name}\" of point {id} differs");
            }
        }
    }

    /// <summary>Files and directories under the storage's and snapshots' temp directories (debris).</summary>
    public string[] Debris()
    {
        var dirs = new[] { Path.Combine(StoragePath, "tmp"), Path.Combine(SnapshotsPath, "tmp") };
        return [.. dirs.Where(Directory.Exists).SelectMany(d => Directory.EnumerateFileSystemEntries(d, "*", SearchOption.AllDirectories))
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "upload", StringComparison.Ordinal) || File.Exists(p))];
    }

    public static T Ok<T>(Result<T> result)
    {
        Assert.True(result.IsOk, result.IsOk ? null : result.Error.Message);
        return result.Value!;
    }

    public void Dispose()
    {
        try
        {
            Engine.Dispose();
        }
        finally
        {
            _dir.Dispose();
        }
    }

    /// <summary>A fetcher that "downloads" by copying a local file, counting its calls.</summary>
    public sealed class CopyingFetcher(string source) : ISnapshotFetcher
    {
        public int Calls { get; private set; }

        public ValueTask<Result<long>> FetchAsync(Uri location, string? apiKey, string destinationPath, CancellationToken ct)
        {
            Calls++;
            File.Copy(source, destinationPath);
            return ValueTask.FromResult<Result<long>>(new FileInfo(destinationPath).Length);
        }
    }
}

/// <summary>Waits for an engine call from a synchronous test (the engine completes them without the test's context).</summary>
internal static class SyncExtensions
{
    public static T Sync<T>(this ValueTask<T> task) => task.AsTask().GetAwaiter().GetResult();

    public static void Sync(this Task task) => task.GetAwaiter().GetResult();
}
