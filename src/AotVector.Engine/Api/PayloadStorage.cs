using AotVector.Common.Errors;

namespace AotVector.Engine.Api;

/// <summary>
/// The reference's <c>payload.memory</c> (its PayloadStorageParams), on create and update: <c>cold</c> keeps payloads in
/// the segment's payload file, read on demand (on_disk_payload true); <c>cached</c> holds them in memory (on_disk_payload
/// false). It wins over the deprecated <c>on_disk_payload</c> when both are given; <c>pinned</c> is refused as the
/// reference refuses it.
/// </summary>
public static class PayloadStorage
{
    /// <summary>The refusal of a placement payloads cannot have, or null.</summary>
    public static AvError? Validate(string? memory) => memory == "pinned"
        ? AvError.Validation("[payload.memory: `pinned` memory placement is not supported for payload storage]")
        : null;

    /// <summary>Whether payloads stay on disk: as <paramref name="memory"/> says, else <paramref name="onDiskPayload"/>.</summary>
    public static bool OnDisk(string? memory, bool onDiskPayload) => memory switch
    {
        "cold" => true,
        "cached" => false,
        _ => onDiskPayload,
    };

    /// <summary>
    /// The reference's internal collection <c>uuid</c> on create (it carries one between peers and snapshots): refused,
    /// since a collection here has no uuid to set.
    /// </summary>
    public static AvError CollectionUuid { get; } = AvError.BadRequest("a collection `uuid` is not supported yet");
}
