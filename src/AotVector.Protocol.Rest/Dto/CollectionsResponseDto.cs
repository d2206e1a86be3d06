namespace AotVector.Protocol.Rest.Dto;

/// <summary>GET /collections: {"collections":[{"name":"a"},…]}.</summary>
internal sealed record CollectionsResponseDto(CollectionDescriptionDto[] Collections)
{
    public static CollectionsResponseDto From(IReadOnlyList<string> names)
    {
        var collections = new CollectionDescriptionDto[names.Count];
        for (var i = 0; i < collections.Length; i++)
        {
            collections[i] = new CollectionDescriptionDto(names[i]);
        }

        return new CollectionsResponseDto(collections);
    }
}

internal sealed record CollectionDescriptionDto(string Name);
