using AotVector.Common.Model;

namespace AotVector.Segment.Payloads;

/// <summary>A payload ready to be assigned: the object (for the payload indexes) and, on disk, where its bytes are.</summary>
internal readonly record struct StagedPayload(Payload? Payload, long Position, int Length);
