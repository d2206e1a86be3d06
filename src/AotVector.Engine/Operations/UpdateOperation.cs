using AotVector.Common.Filtering;
using AotVector.Common.Model;
using AotVector.Engine.Api;
using AotVector.Segment;

namespace AotVector.Engine.Operations;

/// <summary>
/// One write to a collection's points, as the front ends build it and as the WAL records it.
/// Every variant is validated against the collection before it is appended.
/// </summary>
public abstract record UpdateOperation;

public enum UpdateMode : byte
{
    /// <summary>Insert new points and replace existing ones.</summary>
    Upsert,
    InsertOnly,
    UpdateOnly,
}

/// <summary>Insert or replace points. <see cref="UpdateFilter"/>, if set, must match an existing point for it to be replaced.</summary>
public sealed record UpsertPoints(IReadOnlyList<PointStruct> Points, Filter? UpdateFilter = null, UpdateMode Mode = UpdateMode.Upsert) : UpdateOperation;

public sealed record DeletePoints(PointsSelector Selector) : UpdateOperation;

/// <summary>Merge keys into the payload (a top-level null removes the key); with <see cref="Key"/>, merge at that nested path.</summary>
public sealed record SetPayload(Payload Payload, PointsSelector Selector, string? Key = null) : UpdateOperation;

/// <summary>
/// Replace the whole payload. <see cref="Key"/> is what the request gave; as the reference (its overwrite takes no
/// payload selector: <c>do_overwrite_payload</c> drops the key), it does not narrow the overwrite, so a client that
/// sends one gets the reference's answer: the payload becomes exactly <see cref="Payload"/>.
/// </summary>
public sealed record OverwritePayload(Payload Payload, PointsSelector Selector, string? Key = null) : UpdateOperation;

public sealed record DeletePayloadKeys(IReadOnlyList<string> Keys, PointsSelector Selector) : UpdateOperation;

public sealed record ClearPayload(PointsSelector Selector) : UpdateOperation;

/// <summary>Set the given named vectors on existing points.</summary>
public sealed record UpdateVectors(IReadOnlyList<PointVectors> Points, Filter? UpdateFilter = null) : UpdateOperation;

public sealed record DeleteVectors(PointsSelector Selector, IReadOnlyList<string> VectorNames) : UpdateOperation;

public sealed record CreateFieldIndex(string FieldName, PayloadSchemaType Schema) : UpdateOperation
{
    /// <summary>The tokenizer and token processing of a <see cref="PayloadSchemaType.Text"/> index; null for the defaults.</summary>
    public Common.FullText.TextIndexParams? Text { get; init; }

    /// <summary>The index parameters beside its type (tenant, placement, capabilities); null when none were given.</summary>
    public FieldIndexOptions? Options { get; init; }
}

public sealed record DeleteFieldIndex(string FieldName) : UpdateOperation;

/// <summary>
/// Adds a vector name to every segment: a dense or multivector column of <see cref="Dense"/>'s shape, absent for every
/// point, or (with <see cref="Dense"/> null) a sparse name, whose column segments make on first write. The shape is
/// in the operation, not looked up, so a replay rebuilds the vector as it was whatever the config says by then.
/// Only the engine's vector name methods make one; front ends cannot send it as a point update.
/// </summary>
internal sealed record CreateVectorName(string Name, VectorSpec? Dense) : UpdateOperation;

/// <summary>Removes a vector name, dense or sparse, with every point's value of it. Made by the engine only.</summary>
internal sealed record DeleteVectorName(string Name) : UpdateOperation;
