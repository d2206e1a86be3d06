using AotVector.Common.Filtering;
using AotVector.Engine.Api;

namespace AotVector.Engine.Ports;

/// <summary>
/// A nearest-neighbour search as a shard runs it. <see cref="Vector"/> is preprocessed for the vector's metric, as
/// stored vectors are. <see cref="Exact"/> forces a full scan; <see cref="Ef"/> is the graph's search breadth (null:
/// the graph's ef_construct); a filter whose matching vectors take less than <see cref="FullScanThresholdKb"/> is
/// answered by scanning them instead of walking the graph; <see cref="Quantization"/> is the request's use of
/// quantized vectors (null: the defaults).
/// </summary>
public sealed record ShardSearch(string VectorName, float[] Vector, Filter? Filter, int Limit, bool Exact, int? Ef, ulong FullScanThresholdKb, QuantizationSearchParams? Quantization = null, AcornSearchParams? Acorn = null);
