using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>
/// Shape of one named vector of a segment ("" is the unnamed default vector). <see cref="Multi"/>: each point holds
/// one or more vectors of <see cref="Dimension"/> under the name, scored by MaxSim. <see cref="Datatype"/>: how a dense
/// vector's values are stored (multivectors are float32).
/// </summary>
public sealed record VectorSpec(int Dimension, Distance Distance, bool Multi = false, VectorDatatype Datatype = VectorDatatype.Float32);
