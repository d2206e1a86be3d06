using System.Reflection;

namespace AotVector.Engine.Snapshots;

/// <summary>This build's version, as written into snapshot manifests.</summary>
internal static class EngineVersion
{
    public static readonly string Text =
        typeof(EngineVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
