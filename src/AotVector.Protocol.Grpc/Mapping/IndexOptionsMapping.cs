#pragma warning disable CS0612 // The deprecated on_disk flag is read on purpose: older clients still send it.
using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>A payload index's parameters beside its type (tenant, placement, capabilities) from the wire's typed params.</summary>
internal static class IndexOptionsMapping
{
    public static FieldIndexOptions? ToEngine(Wire.PayloadIndexParams? p) => FieldIndexOptions.OrNull(Read(p));

    private static FieldIndexOptions? Read(Wire.PayloadIndexParams? p) => p?.IndexParamsCase switch
    {
        Wire.PayloadIndexParams.IndexParamsOneofCase.KeywordIndexParams => p.KeywordIndexParams is var k
            ? new FieldIndexOptions(IsTenant: k.HasIsTenant ? k.IsTenant : null, OnDisk: k.HasOnDisk ? k.OnDisk : null,
                Memory: k.HasMemory ? Memory(k.Memory) : null, EnableHnsw: k.HasEnableHnsw ? k.EnableHnsw : null, Prefix: k.Prefix is null ? null : true)
            : null,
        Wire.PayloadIndexParams.IndexParamsOneofCase.IntegerIndexParams => p.IntegerIndexParams is var i
            ? new FieldIndexOptions(IsPrincipal: i.HasIsPrincipal ? i.IsPrincipal : null, OnDisk: i.HasOnDisk ? i.OnDisk : null,
                Memory: i.HasMemory ? Memory(i.Memory) : null, EnableHnsw: i.HasEnableHnsw ? i.EnableHnsw : null,
                Lookup: i.HasLookup ? i.Lookup : null, Range: i.HasRange ? i.Range : null)
            : null,
        Wire.PayloadIndexParams.IndexParamsOneofCase.FloatIndexParams => p.FloatIndexParams is var f
            ? new FieldIndexOptions(IsPrincipal: f.HasIsPrincipal ? f.IsPrincipal : null, OnDisk: f.HasOnDisk ? f.OnDisk : null,
                Memory: f.HasMemory ? Memory(f.Memory) : null, EnableHnsw: f.HasEnableHnsw ? f.EnableHnsw : null)
            : null,
        Wire.PayloadIndexParams.IndexParamsOneofCase.DatetimeIndexParams => p.DatetimeIndexParams is var d
            ? new FieldIndexOptions(IsPrincipal: d.HasIsPrincipal ? d.IsPrincipal : null, OnDisk: d.HasOnDisk ? d.OnDisk : null,
                Memory: d.HasMemory ? Memory(d.Memory) : null, EnableHnsw: d.HasEnableHnsw ? d.EnableHnsw : null)
            : null,
        Wire.PayloadIndexParams.IndexParamsOneofCase.UuidIndexParams => p.UuidIndexParams is var u
            ? new FieldIndexOptions(IsTenant: u.HasIsTenant ? u.IsTenant : null, OnDisk: u.HasOnDisk ? u.OnDisk : null,
                Memory: u.HasMemory ? Memory(u.Memory) : null, EnableHnsw: u.HasEnableHnsw ? u.EnableHnsw : null)
            : null,
        Wire.PayloadIndexParams.IndexParamsOneofCase.GeoIndexParams => p.GeoIndexParams is var g
            ? new FieldIndexOptions(OnDisk: g.HasOnDisk ? g.OnDisk : null, Memory: g.HasMemory ? Memory(g.Memory) : null, EnableHnsw: g.HasEnableHnsw ? g.EnableHnsw : null)
            : null,
        Wire.PayloadIndexParams.IndexParamsOneofCase.BoolIndexParams => p.BoolIndexParams is var b
            ? new FieldIndexOptions(OnDisk: b.HasOnDisk ? b.OnDisk : null, Memory: b.HasMemory ? Memory(b.Memory) : null, EnableHnsw: b.HasEnableHnsw ? b.EnableHnsw : null)
            : null,
        Wire.PayloadIndexParams.IndexParamsOneofCase.TextIndexParams => p.TextIndexParams is var t && t.HasMemory
            ? new FieldIndexOptions(Memory: Memory(t.Memory))
            : null,
        _ => null,
    };

    // MemoryUnknown (0) is what an unset enum reads as: treat it as not given.
    private static IndexMemory? Memory(Wire.Memory memory) => memory switch
    {
        Wire.Memory.Cold => IndexMemory.Cold,
        Wire.Memory.Cached => IndexMemory.Cached,
        Wire.Memory.Pinned => IndexMemory.Pinned,
        _ => null,
    };
}
