using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>
/// Shape of one named vector of a segment ("" is the unnamed default vector). <see cref="Multi"/>: each point holds
/// one or more vectors of <see cref="Dimension"/> under the name, scored by MaxSim.
/// </summary>
public sealed record VectorSpec(int Dimension, Distance Distance, bool Multi = false);
