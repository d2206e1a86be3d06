using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>The answer to every write: {"operation_id":N,"status":"acknowledged|completed|wait_timeout"} (api.md §1.4).</summary>
internal readonly record struct UpdateResultDto(ulong OperationId, string Status)
{
    public static UpdateResultDto From(UpdateResult result) => new(result.OperationId, WireNames.Of(result.Status));

    public static UpdateResultDto[] FromAll(IReadOnlyList<UpdateResult> results)
    {
        var items = new UpdateResultDto[results.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = From(results[i]);
        }

        return items;
    }
}
