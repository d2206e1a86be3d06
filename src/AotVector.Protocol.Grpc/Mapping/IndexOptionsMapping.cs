#pragma warning disable CS0612 // The deprecated on_disk flag is read on purpose: older clients still send it.
using AotVector.Engine.Api;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>A payload index's parameters beside its type (tenant, placement, capabilities) from the wire's typed params.</summary>
internal static class IndexOptionsMapping
{
    /// <summary>The options given, or null for none; typed params giving nothing still count (shown back as params), text's only with a memory.</summary>
    public static FieldIndexOptions? ToEngine(Wire.PayloadIndexParams? p) => Read(p);

    /// <summary>The typed params of a <paramref name="type"/> index created with <paramref name="o"/>, for the payload schema.</summary>
    public static Wire.PayloadIndexParams? ToWire(PayloadSchemaType type, FieldIndexOptions o)
    {
        var memory = o.Memory is { } m ? m switch { IndexMemory.Cold => Wire.Memory.Cold, IndexMemory.Cached => Wire.Memory.Cached, _ => Wire.Memory.Pinned } : (Wire.Memory?)null;
        switch (type)
        {
            case PayloadSchemaType.Keyword:
                var k = new Wire.KeywordIndexParams();
                if (o.IsTenant is { } tenant) { k.IsTenant = tenant; }
                if (o.OnDisk is { } kDisk) { k.OnDisk = kDisk; }
                if (memory is { } kMemory) { k.Memory = kMemory; }
                if (o.EnableHnsw is { } kHnsw) { k.EnableHnsw = kHnsw; }
                return new Wire.PayloadIndexParams { KeywordIndexParams = k };
            case PayloadSchemaType.Integer:
                var i = new Wire.IntegerIndexParams();
                if (o.Lookup is { } lookup) { i.Lookup = lookup; }
                if (o.Range is { } range) { i.Range = range; }
                if (o.IsPrincipal is { } iPrincipal) { i.IsPrincipal = iPrincipal; }
                if (o.OnDisk is { } iDisk) { i.OnDisk = iDisk; }
                if (memory is { } iMemory) { i.Memory = iMemory; }
                if (o.EnableHnsw is { } iHnsw) { i.EnableHnsw = iHnsw; }
                return new Wire.PayloadIndexParams { IntegerIndexParams = i };
            case PayloadSchemaType.Float:
                var f = new Wire.FloatIndexParams();
                if (o.IsPrincipal is { } fPrincipal) { f.IsPrincipal = fPrincipal; }
                if (o.OnDisk is { } fDisk) { f.OnDisk = fDisk; }
                if (memory is { } fMemory) { f.Memory = fMemory; }
                if (o.EnableHnsw is { } fHnsw) { f.EnableHnsw = fHnsw; }
                return new Wire.PayloadIndexParams { FloatIndexParams = f };
            case PayloadSchemaType.Datetime:
                var d = new Wire.DatetimeIndexParams();
                if (o.IsPrincipal is { } dPrincipal) { d.IsPrincipal = dPrincipal; }
                if (o.OnDisk is { } dDisk) { d.OnDisk = dDisk; }
                if (memory is { } dMemory) { d.Memory = dMemory; }
                if (o.EnableHnsw is { } dHnsw) { d.EnableHnsw = dHnsw; }
                return new Wire.PayloadIndexParams { DatetimeIndexParams = d };
            case PayloadSchemaType.Uuid:
                var u = new Wire.UuidIndexParams();
                if (o.IsTenant is { } uTenant) { u.IsTenant = uTenant; }
                if (o.OnDisk is { } uDisk) { u.OnDisk = uDisk; }
                if (memory is { } uMemory) { u.Memory = uMemory; }
                if (o.EnableHnsw is { } uHnsw) { u.EnableHnsw = uHnsw; }
                return new Wire.PayloadIndexParams { UuidIndexParams = u };
            case PayloadSchemaType.Geo:
                var g = new Wire.GeoIndexParams();
                if (o.OnDisk is { } gDisk) { g.OnDisk = gDisk; }
                if (memory is { } gMemory) { g.Memory = gMemory; }
                if (o.EnableHnsw is { } gHnsw) { g.EnableHnsw = gHnsw; }
                return new Wire.PayloadIndexParams { GeoIndexParams = g };
            case PayloadSchemaType.Bool:
                var b = new Wire.BoolIndexParams();
                if (o.OnDisk is { } bDisk) { b.OnDisk = bDisk; }
                if (memory is { } bMemory) { b.Memory = bMemory; }
                if (o.EnableHnsw is { } bHnsw) { b.EnableHnsw = bHnsw; }
                return new Wire.PayloadIndexParams { BoolIndexParams = b };
            default:
                return null;
        }
    }

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
