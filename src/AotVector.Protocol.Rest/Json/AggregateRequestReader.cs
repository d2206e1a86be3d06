using System.Text.Json;
using AotVector.Common.Filtering;
using AotVector.Engine.Api;
using AotVector.Protocol.Rest.Errors;

namespace AotVector.Protocol.Rest.Json;

/// <summary>Bodies of /facet and of /points/search/matrix/{pairs,offsets}.</summary>
internal static class AggregateRequestReader
{
    /// <summary>{"key", "filter"?, "limit"?, "exact"?}.</summary>
    public static FacetRequest ReadFacet(JsonElement root)
    {
        JsonRead.Object(root, "", "a facet request object");
        string? key = null;
        Filter? filter = null;
        uint? limit = null;
        var exact = RequestDefaults.FacetExact;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "key":
                    key = JsonRead.IsAbsent(p.Value) ? null : JsonRead.KeyPath(p.Value, p.Name);
                    break;
                case "filter":
                    filter = FilterReader.ReadOptional(p.Value, p.Name);
                    break;
                case "limit":
                    limit = ReadRequestReader.ReadLimit(p.Value, p.Name);
                    break;
                case "exact":
                    exact = JsonRead.OptionalBool(p.Value, p.Name) ?? RequestDefaults.FacetExact;
                    break;
                default:
                    // shard_key: one shard, nothing to select.
                    break;
            }
        }

        if (key is null)
        {
            JsonRead.Missing("", "key");
        }

        return new FacetRequest(key, filter, limit ?? RequestDefaults.FacetLimit, exact);
    }

    /// <summary>{"filter"?, "sample"?, "limit"?, "using"?}.</summary>
    public static MatrixRequest ReadMatrix(JsonElement root)
    {
        JsonRead.Object(root, "", "a search matrix request object");
        Filter? filter = null;
        uint? sample = null;
        uint? limit = null;
        string? usingName = null;
        foreach (var p in root.EnumerateObject())
        {
            switch (p.Name)
            {
                case "filter":
                    filter = FilterReader.ReadOptional(p.Value, p.Name);
                    break;
                case "sample":
                    sample = JsonRead.OptionalUInt32(p.Value, p.Name);
                    if (sample < RequestRules.MinMatrixSample)
                    {
                        ThrowHelper.ThrowValidation(p.Name, RequestRules.MatrixSample(sample.Value));
                    }

                    break;
                case "limit":
                    limit = ReadRequestReader.ReadLimit(p.Value, p.Name);
                    break;
                case "using":
                    usingName = JsonRead.OptionalString(p.Value, p.Name);
                    break;
                default:
                    break;
            }
        }

        return new MatrixRequest(filter, sample ?? RequestDefaults.MatrixSample, limit ?? RequestDefaults.MatrixLimit, usingName);
    }
}
