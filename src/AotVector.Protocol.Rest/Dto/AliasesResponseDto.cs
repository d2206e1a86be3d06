using AotVector.Engine.Api;

namespace AotVector.Protocol.Rest.Dto;

/// <summary>GET /aliases and /collections/{name}/aliases: {"aliases":[{"alias_name","collection_name"},…]}.</summary>
internal sealed record AliasesResponseDto(AliasDescriptionDto[] Aliases)
{
    public static AliasesResponseDto From(IReadOnlyList<AliasDescription> aliases)
    {
        var items = new AliasDescriptionDto[aliases.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new AliasDescriptionDto(aliases[i].AliasName, aliases[i].CollectionName);
        }

        return new AliasesResponseDto(items);
    }
}

internal sealed record AliasDescriptionDto(string AliasName, string CollectionName);
