using AotVector.Common.Model;

namespace AotVector.Segment.Index.Payloads;

/// <summary>
/// The points holding one value of an indexed field (a keyword, an integer or a bool): the unit the graph gets extra
/// links for, as the reference's payload blocks (a <c>match.value</c> condition on <see cref="Field"/>).
/// </summary>
internal sealed record PayloadBlock(string Field, PayloadValue Value, uint[] Offsets);
