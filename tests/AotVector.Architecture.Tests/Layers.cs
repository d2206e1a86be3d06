namespace AotVector.Architecture.Tests;

/// <summary>
/// The layer table of src/: Kernels and Storage sit on Common, Segment on those, then Engine, then the two front
/// ends, then the server. A project may reference only projects of a lower layer; a front end only the engine and
/// Common (it sees the engine's API, never the segments under it). A new src project fails the rules until it is
/// placed here.
/// </summary>
internal static class Layers
{
    public const string Common = "AotVector.Common";
    public const string Kernels = "AotVector.Kernels";
    public const string Storage = "AotVector.Storage";
    public const string Segment = "AotVector.Segment";
    public const string Engine = "AotVector.Engine";
    public const string Rest = "AotVector.Protocol.Rest";
    public const string Grpc = "AotVector.Protocol.Grpc";
    public const string Server = "AotVector.Server";

    public static readonly IReadOnlyDictionary<string, int> Level = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [Common] = 0,
        [Kernels] = 1,
        [Storage] = 1,
        [Segment] = 2,
        [Engine] = 3,
        [Rest] = 4,
        [Grpc] = 4,
        [Server] = 5,
    };

    /// <summary>The engine and everything under it.</summary>
    public static readonly IReadOnlyList<string> EngineAndBelow = [Common, Kernels, Storage, Segment, Engine];

    public static readonly IReadOnlyList<string> FrontEnds = [Rest, Grpc];

    /// <summary>What the front ends may not see: the storage layers under the engine's API.</summary>
    public static readonly IReadOnlyList<string> UnderTheEngine = [Kernels, Storage, Segment];

    /// <summary>The only projects compiled with <c>AllowUnsafeBlocks</c>: pointers, mmap and SIMD loads live there.</summary>
    public static readonly IReadOnlyList<string> Unsafe = [Kernels, Storage];

    /// <summary>
    /// Packages, assemblies and namespaces the engine and everything under it may not touch: the web host, gRPC and
    /// protobuf, the wire DTOs (ours and the official client's), the YAML config reader, the front ends and the server.
    /// A name matches a root when it equals it or continues it after a dot.
    /// </summary>
    public static readonly IReadOnlyList<string> ForbiddenUnderFrontEnds =
    [
        "Microsoft.AspNetCore", "Grpc", "Google.Protobuf", "Qdrant", "YamlDotNet", "AotVector.Protocol", "AotVector.Server",
    ];

    /// <summary>The server's assembly name (its project is AotVector.Server).</summary>
    public const string ServerAssembly = "aotvector";

    public static bool Matches(string name, string root) =>
        name.Length == root.Length ? name == root : name.StartsWith(root, StringComparison.Ordinal) && name[root.Length] == '.';

    public static bool IsForbiddenUnderFrontEnds(string name) =>
        name == ServerAssembly || ForbiddenUnderFrontEnds.Any(root => Matches(name, root));
}
