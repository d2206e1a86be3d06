using System.Text.Json;
using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Json;

/// <summary>
/// Bodies of /points/query/groups, /points/search/groups and /points/recommend/groups: the request they group is
/// read by <see cref="QueryRequestReader"/> (its <c>limit</c> counts groups), and the grouping fields here.
/// </summary>
internal static class GroupRequestReader
{
    /// <summary>query/groups: <c>group_size</c> and <c>limit</c> may be left out.</summary>
    public static GroupsRequest ReadQueryGroups(JsonElement root) =>
        Read(root, QueryRequestReader.ReadQuery(root, ""), groupSizeRequired: false);

    /// <summary>search/groups: as a search, plus the grouping fields; <c>group_size</c> and <c>limit</c> are required.</summary>
    public static GroupsRequest ReadSearchGroups(JsonElement root) =>
        Read(root, QueryRequestReader.ReadSearch(root, ""), groupSizeRequired: true);

    public static GroupsRequest ReadRecommendGroups(JsonElement root) =>
        Read(root, QueryRequestReader.ReadRecommend(root, ""), groupSizeRequired: true);

    private static GroupsRequest Read(JsonElement root, QueryRequest source, bool groupSizeRequired)
    {
        string? groupBy = null;
        uint? groupSize = null;
        GroupLookup? withLookup = null;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "group_by":
                    groupBy = JsonRead.IsAbsent(p.Value) ? null : JsonRead.KeyPath(p.Value, p.Name);
                    break;
                case "group_size":
                    groupSize = ReadRequestReader.ReadLimit(p.Value, p.Name);
                    break;
                case "with_lookup":
                    withLookup = ReadLookup(p.Value, p.Name);
                    break;
                default:
                    break;
            }
        }

        if (groupBy is null)
        {
            JsonRead.Missing("", "group_by");
        }

        if (groupSize is null && groupSizeRequired)
        {
            JsonRead.Missing("", "group_size");
        }

        return new GroupsRequest(source, groupBy, groupSize ?? RequestDefaults.GroupSize, withLookup);
    }

    /// <summary>A collection name, or {"collection", "with_payload"?, "with_vectors"?}.</summary>
    private static GroupLookup? ReadLookup(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return GroupLookup.Named(e.GetString()!);
            case JsonValueKind.Object:
                break;
            default:
                JsonRead.InvalidType(e, path, "a collection name or a lookup object");
                return null;
        }

        string? collection = null;
        var lookup = GroupLookup.Named("");
        foreach (var p in e.EnumerateObject())
        {
            var at = BodyPath.Field(path, p.Name);
            switch (p.Name)
            {
                case "collection":
                    collection = JsonRead.String(p.Value, at);
                    break;
                case "with_payload":
                    lookup = lookup with { WithPayload = SelectorJson.ReadWithPayload(p.Value, at, WithPayload.All) };
                    break;
                case "with_vectors" or "with_vector":
                    lookup = lookup with { WithVector = SelectorJson.ReadWithVector(p.Value, at, WithVector.None) };
                    break;
                default:
                    JsonRead.UnknownField(path, p.Name, "one of `collection`, `with_payload`, `with_vectors`");
                    break;
            }
        }

        if (collection is null)
        {
            JsonRead.Missing(path, "collection");
        }

        return lookup with { Collection = collection };
    }
}
