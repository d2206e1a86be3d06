using AotVector.Common.Model;

namespace AotVector.Engine.Api;

/// <summary>One dense vector's parameters in a collection.</summary>
public sealed record VectorParams(ulong Size, Distance Distance, HnswConfigDiff? HnswConfig = null, bool? OnDisk = null);
