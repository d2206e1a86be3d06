using AotVector.Common.Errors;
using AotVector.Engine.Api;

namespace AotVector.Testing.Fakes;

/// <summary>
/// Records what a front end passed to <see cref="ISnapshotsApi"/> and answers with canned values: every list is
/// <see cref="Descriptions"/>, a create returns the first of them, a download streams <see cref="Content"/>, an upload
/// reservation is a fresh file name in <see cref="UploadDirectory"/>. <see cref="Error"/> fails every call (after the
/// call is recorded); <see cref="Pending"/>, when set, holds creates and recovers until it completes.
/// </summary>
public sealed class FakeSnapshotsApi : ISnapshotsApi
{
    public List<string> Calls { get; } = [];

    public SnapshotScope? LastScope { get; private set; }

    public AccessContext? LastAccess { get; private set; }

    public SnapshotRecoverRequest? LastRecover { get; private set; }

    public string? LastName { get; private set; }

    public AvError? Error { get; set; }

    /// <summary>Refuses only the upload reservation (the other calls answer).</summary>
    public AvError? ReserveError { get; set; }

    public TaskCompletionSource? Pending { get; set; }

    public byte[] Content { get; set; } = "snapshot-bytes"u8.ToArray();

    public string UploadDirectory { get; set; } = Path.GetTempPath();

    /// <summary>The bytes of the reserved file as they were when recover was called.</summary>
    public byte[]? UploadedBytes { get; private set; }

    public List<SnapshotDescription> Descriptions { get; } =
    [
        new("c-1-2026-12-07-10-00-00.snapshot", new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero), 1234, new string('a', 64)),
        new("c-1-2026-12-06-09-30-15.snapshot", new DateTimeOffset(2026, 12, 6, 9, 30, 15, 500, TimeSpan.Zero), 99, null),
    ];

    public async ValueTask<Result<SnapshotDescription>> CreateSnapshotAsync(AccessContext access, SnapshotScope scope, CancellationToken ct)
    {
        Record("create", access, scope);
        if (Pending is { } pending)
        {
            await pending.Task.WaitAsync(ct);
        }

        return Error is { } e ? e : Descriptions[0];
    }

    public Result<IReadOnlyList<SnapshotDescription>> ListSnapshots(AccessContext access, SnapshotScope scope)
    {
        Record("list", access, scope);
        return Error is { } e ? e : Descriptions;
    }

    public Result<SnapshotDownload> OpenSnapshot(AccessContext access, SnapshotScope scope, string name)
    {
        Record("open", access, scope);
        LastName = name;
        return Error is { } e ? e : new SnapshotDownload(name, Content.Length, new MemoryStream(Content));
    }

    public ValueTask<Result<bool>> DeleteSnapshotAsync(AccessContext access, SnapshotScope scope, string name, CancellationToken ct)
    {
        Record("delete", access, scope);
        LastName = name;
        return ValueTask.FromResult(Error is { } e ? (Result<bool>)e : true);
    }

    public Result<string> ReserveUpload(AccessContext access, SnapshotScope scope)
    {
        Record("reserve", access, scope);
        if ((ReserveError ?? Error) is { } e)
        {
            return e;
        }

        return Path.Combine(UploadDirectory, "upload-" + Guid.NewGuid().ToString("N") + ".snapshot");
    }

    public async ValueTask<Result<bool>> RecoverSnapshotAsync(AccessContext access, SnapshotScope scope, SnapshotRecoverRequest request, CancellationToken ct)
    {
        Record("recover", access, scope);
        LastRecover = request;
        if (request.Source is SnapshotSource.Uploaded uploaded)
        {
            UploadedBytes = File.Exists(uploaded.Path) ? await File.ReadAllBytesAsync(uploaded.Path, ct) : null;
            File.Delete(uploaded.Path);
        }

        if (Pending is { } pending)
        {
            await pending.Task.WaitAsync(ct);
        }

        return Error is { } e ? e : true;
    }

    private void Record(string call, AccessContext access, SnapshotScope scope)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }

        LastAccess = access;
        LastScope = scope;
    }
}
