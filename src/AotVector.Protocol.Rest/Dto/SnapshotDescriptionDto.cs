using System.Globalization;
using System.Text.Json.Serialization;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>
/// The reference's <c>SnapshotDescription</c>: <c>creation_time</c> is a UTC date-time without an offset
/// (<c>2022-08-04T10:49:10</c>, as its naive timestamps print), and <c>checksum</c> is left out when unknown.
/// </summary>
internal sealed record SnapshotDescriptionDto(
    string Name,
    string? CreationTime,
    long Size,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Checksum)
{
    public static SnapshotDescriptionDto From(SnapshotDescription d) =>
        new(d.Name, d.CreationTime is { } t ? FormatTime(t) : null, d.Size, d.Checksum);

    public static SnapshotDescriptionDto[] FromList(IReadOnlyList<SnapshotDescription> list)
    {
        var result = new SnapshotDescriptionDto[list.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = From(list[i]);
        }

        return result;
    }

    /// <summary>"F" digits drop trailing zeros and the point itself when the fraction is zero, as chrono prints.</summary>
    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture);
}
