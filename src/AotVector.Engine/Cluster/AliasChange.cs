namespace AotVector.Engine.Cluster;

/// <summary>
/// One step of an alias change as it travels through consensus: create (<see cref="Collection"/> and <see cref="Alias"/>),
/// delete (<see cref="Alias"/>) or rename (<see cref="Alias"/> to <see cref="NewAlias"/>).
/// </summary>
public sealed record AliasChange(string Action, string Alias, string? Collection = null, string? NewAlias = null)
{
    public const string Create = "create";
    public const string Delete = "delete";
    public const string Rename = "rename";
}
