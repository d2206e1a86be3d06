using AotVector.Common.Model;

namespace AotVector.Segment;

/// <summary>Shape of one named vector of a segment ("" is the unnamed default vector).</summary>
public sealed record VectorSpec(int Dimension, Distance Distance);
