using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>strict_mode_config both ways: an unset optional field is an unset value.</summary>
internal static class StrictModeMapping
{
    public static StrictModeConfig? ToEngine(Wire.StrictModeConfig? w) => w is null ? null : new StrictModeConfig
    {
        Enabled = w.HasEnabled ? w.Enabled : null,
        MaxQueryLimit = w.HasMaxQueryLimit ? w.MaxQueryLimit : null,
        MaxTimeout = w.HasMaxTimeout ? w.MaxTimeout : null,
        UnindexedFilteringRetrieve = w.HasUnindexedFilteringRetrieve ? w.UnindexedFilteringRetrieve : null,
        UnindexedFilteringUpdate = w.HasUnindexedFilteringUpdate ? w.UnindexedFilteringUpdate : null,
        SearchMaxHnswEf = w.HasSearchMaxHnswEf ? w.SearchMaxHnswEf : null,
        SearchAllowExact = w.HasSearchAllowExact ? w.SearchAllowExact : null,
        SearchMaxOversampling = w.HasSearchMaxOversampling ? w.SearchMaxOversampling : null,
        UpsertMaxBatchsize = w.HasUpsertMaxBatchsize ? w.UpsertMaxBatchsize : null,
        SearchMaxBatchsize = w.HasSearchMaxBatchsize ? w.SearchMaxBatchsize : null,
        MaxCollectionVectorSizeBytes = w.HasMaxCollectionVectorSizeBytes ? w.MaxCollectionVectorSizeBytes : null,
        ReadRateLimit = w.HasReadRateLimit ? w.ReadRateLimit : null,
        WriteRateLimit = w.HasWriteRateLimit ? w.WriteRateLimit : null,
        MaxCollectionPayloadSizeBytes = w.HasMaxCollectionPayloadSizeBytes ? w.MaxCollectionPayloadSizeBytes : null,
        MaxPointsCount = w.HasMaxPointsCount ? w.MaxPointsCount : null,
        FilterMaxConditions = w.HasFilterMaxConditions ? w.FilterMaxConditions : null,
        ConditionMaxSize = w.HasConditionMaxSize ? w.ConditionMaxSize : null,
        MultivectorConfig = w.MultivectorConfig?.MultivectorConfig.ToDictionary(
            kv => kv.Key, kv => new StrictModeMultivector(kv.Value.HasMaxVectors ? kv.Value.MaxVectors : null), StringComparer.Ordinal),
        SparseConfig = w.SparseConfig?.SparseConfig.ToDictionary(
            kv => kv.Key, kv => new StrictModeSparse(kv.Value.HasMaxLength ? kv.Value.MaxLength : null), StringComparer.Ordinal),
        MaxPayloadIndexCount = w.HasMaxPayloadIndexCount ? w.MaxPayloadIndexCount : null,
#pragma warning disable CS0612 // deprecated in the reference's proto, still honoured
        MaxResidentMemoryPercent = w.HasMaxResidentMemoryPercent ? w.MaxResidentMemoryPercent : null,
#pragma warning restore CS0612
    };

    public static Wire.StrictModeConfig? ToWire(StrictModeConfig? c)
    {
        if (c is null)
        {
            return null;
        }

        var w = new Wire.StrictModeConfig();
        if (c.Enabled is { } enabled)
        {
            w.Enabled = enabled;
        }

        if (c.MaxQueryLimit is { } maxQueryLimit)
        {
            w.MaxQueryLimit = Narrow(maxQueryLimit);
        }

        if (c.MaxTimeout is { } maxTimeout)
        {
            w.MaxTimeout = Narrow(maxTimeout);
        }

        if (c.UnindexedFilteringRetrieve is { } retrieve)
        {
            w.UnindexedFilteringRetrieve = retrieve;
        }

        if (c.UnindexedFilteringUpdate is { } update)
        {
            w.UnindexedFilteringUpdate = update;
        }

        if (c.SearchMaxHnswEf is { } ef)
        {
            w.SearchMaxHnswEf = Narrow(ef);
        }

        if (c.SearchAllowExact is { } exact)
        {
            w.SearchAllowExact = exact;
        }

        if (c.SearchMaxOversampling is { } oversampling)
        {
            w.SearchMaxOversampling = (float)oversampling;
        }

        if (c.UpsertMaxBatchsize is { } upsertBatch)
        {
            w.UpsertMaxBatchsize = upsertBatch;
        }

        if (c.SearchMaxBatchsize is { } searchBatch)
        {
            w.SearchMaxBatchsize = searchBatch;
        }

        if (c.MaxCollectionVectorSizeBytes is { } vectorBytes)
        {
            w.MaxCollectionVectorSizeBytes = vectorBytes;
        }

        if (c.ReadRateLimit is { } read)
        {
            w.ReadRateLimit = Narrow(read);
        }

        if (c.WriteRateLimit is { } write)
        {
            w.WriteRateLimit = Narrow(write);
        }

        if (c.MaxCollectionPayloadSizeBytes is { } payloadBytes)
        {
            w.MaxCollectionPayloadSizeBytes = payloadBytes;
        }

        if (c.MaxPointsCount is { } points)
        {
            w.MaxPointsCount = points;
        }

        if (c.FilterMaxConditions is { } conditions)
        {
            w.FilterMaxConditions = conditions;
        }

        if (c.ConditionMaxSize is { } conditionSize)
        {
            w.ConditionMaxSize = conditionSize;
        }

        if (c.MultivectorConfig is { } multi)
        {
            w.MultivectorConfig = new Wire.StrictModeMultivectorConfig();
            foreach (var (name, m) in multi)
            {
                var entry = new Wire.StrictModeMultivector();
                if (m.MaxVectors is { } most)
                {
                    entry.MaxVectors = most;
                }

                w.MultivectorConfig.MultivectorConfig[name] = entry;
            }
        }

        if (c.SparseConfig is { } sparse)
        {
            w.SparseConfig = new Wire.StrictModeSparseConfig();
            foreach (var (name, s) in sparse)
            {
                var entry = new Wire.StrictModeSparse();
                if (s.MaxLength is { } most)
                {
                    entry.MaxLength = most;
                }

                w.SparseConfig.SparseConfig[name] = entry;
            }
        }

        if (c.MaxPayloadIndexCount is { } indexes)
        {
            w.MaxPayloadIndexCount = indexes;
        }

        if (c.MaxResidentMemoryPercent is { } percent)
        {
#pragma warning disable CS0612 // deprecated in the reference's proto, still shown
            w.MaxResidentMemoryPercent = percent;
#pragma warning restore CS0612
        }

        return w;
    }

    // uint32 fields of the proto; a larger value set over REST shows as the largest the field holds.
    private static uint Narrow(ulong value) => (uint)Math.Min(value, uint.MaxValue);
}
