using AotVector.Testing;

namespace AotVector.Architecture.Tests;

/// <summary>
/// The rules fail when they should: each case writes a small tree of project files that follows the layers, breaks
/// one rule, and expects exactly that rule's complaint. The assembly rules are run over assemblies that do use what
/// the engine side may not.
/// </summary>
public sealed class LayeringRulesFailTests
{
    [Fact]
    public void A_tree_that_follows_the_layers_passes()
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir);

        Assert.Empty(ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Theory]
    [InlineData(Layers.Engine, Layers.Rest, "src/AotVector.Engine/AotVector.Engine.csproj: references AotVector.Protocol.Rest; layers point down only")]
    [InlineData(Layers.Kernels, Layers.Storage, "src/AotVector.Kernels/AotVector.Kernels.csproj: references AotVector.Storage; layers point down only")]
    [InlineData(Layers.Rest, Layers.Grpc, "src/AotVector.Protocol.Rest/AotVector.Protocol.Rest.csproj: references AotVector.Protocol.Grpc; layers point down only")]
    [InlineData(Layers.Common, Layers.Segment, "src/AotVector.Common/AotVector.Common.csproj: references AotVector.Segment; layers point down only")]
    [InlineData(Layers.Grpc, Layers.Segment, "src/AotVector.Protocol.Grpc/AotVector.Protocol.Grpc.csproj: references AotVector.Segment; a front end sees the engine's API, not what is under it")]
    [InlineData(Layers.Engine, "AotVector.Testing", "src/AotVector.Engine/AotVector.Engine.csproj: references AotVector.Testing, which is not a layer of src")]
    public void A_reference_that_points_the_wrong_way_fails(string from, string to, string expected)
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir, extra: new() { [from] = $"""<ProjectReference Include="../{to}/{to}.csproj" />""" });

        Assert.Equal([expected], ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Theory]
    [InlineData("""<FrameworkReference Include="Microsoft.AspNetCore.App" />""", "references the framework Microsoft.AspNetCore.App; the engine side sees no web host")]
    [InlineData("""<PackageReference Include="Grpc.AspNetCore.Server" />""", "references the package Grpc.AspNetCore.Server; the engine side sees no web host, gRPC, wire DTO or YAML")]
    [InlineData("""<PackageReference Include="Google.Protobuf" />""", "references the package Google.Protobuf; the engine side sees no web host, gRPC, wire DTO or YAML")]
    [InlineData("""<PackageReference Include="YamlDotNet" />""", "references the package YamlDotNet; the engine side sees no web host, gRPC, wire DTO or YAML")]
    public void The_engine_side_referencing_a_web_or_wire_package_fails(string item, string expected)
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir, extra: new() { [Layers.Segment] = item });

        Assert.Equal(["src/AotVector.Segment/AotVector.Segment.csproj: " + expected], ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Fact]
    public void The_engine_on_the_web_sdk_fails()
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir, sdk: new() { [Layers.Engine] = "Microsoft.NET.Sdk.Web" });

        Assert.Equal(
            ["src/AotVector.Engine/AotVector.Engine.csproj: uses the SDK Microsoft.NET.Sdk.Web; the engine side builds on Microsoft.NET.Sdk"],
            ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Theory]
    [InlineData(Layers.Segment, "src/AotVector.Segment/AotVector.Segment.csproj")]
    [InlineData(Layers.Server, "src/AotVector.Server/AotVector.Server.csproj")]
    [InlineData("AotVector.Segment.Tests", "tests/AotVector.Segment.Tests/AotVector.Segment.Tests.csproj")]
    public void Unsafe_code_outside_kernels_and_storage_fails(string project, string path)
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir, properties: new() { [project] = "<AllowUnsafeBlocks>true</AllowUnsafeBlocks>" });

        Assert.Equal([path + ": sets AllowUnsafeBlocks; unsafe code belongs in AotVector.Kernels and AotVector.Storage only"], ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Fact]
    public void Unsafe_code_turned_on_for_a_whole_subtree_fails()
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir);
        File.WriteAllText(dir.Combine("src", "Directory.Build.props"), "<Project><PropertyGroup><AllowUnsafeBlocks>true</AllowUnsafeBlocks></PropertyGroup></Project>");

        Assert.Equal(
            ["src/Directory.Build.props: sets AllowUnsafeBlocks for every project under it; unsafe code belongs in AotVector.Kernels and AotVector.Storage only"],
            ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Fact]
    public void A_src_project_outside_the_layer_table_fails()
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir);
        WriteProject(dir, "src", "AotVector.Cluster", "Microsoft.NET.Sdk", "", $"""<ProjectReference Include="../{Layers.Engine}/{Layers.Engine}.csproj" />""");

        Assert.Equal(["src/AotVector.Cluster/AotVector.Cluster.csproj: not in the layer table (place it in Layers.Level)"], ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Fact]
    public void Internals_shown_to_a_project_that_does_not_reference_them_fail()
    {
        using var dir = new TempDirectory("arch");
        WriteLayeredTree(dir, extra: new()
        {
            [Layers.Common] = """<InternalsVisibleTo Include="AotVector.Common.Tests" />""",
            [Layers.Kernels] = """<InternalsVisibleTo Include="AotVector.Segment.Tests" />""",
        });
        File.WriteAllText(dir.Combine("src", Layers.Segment, "Friends.cs"), """[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("AotVector.Benchmarks")]""");

        Assert.Equal(
            [
                "src/AotVector.Common/AotVector.Common.csproj: InternalsVisibleTo AotVector.Common.Tests, which is no project referencing it",
                "src/AotVector.Kernels/AotVector.Kernels.csproj: InternalsVisibleTo AotVector.Segment.Tests, which is no project referencing it",
                "src/AotVector.Segment/AotVector.Segment.csproj: InternalsVisibleTo AotVector.Benchmarks, which is no project referencing it",
            ],
            ProjectRules.Check(ProjectTree.Load(dir.Path)));
    }

    [Fact]
    public void The_assembly_rules_catch_a_layer_that_uses_the_web_host_grpc_or_wire_types()
    {
        // The front ends do all of this legitimately; read as if they were the engine, each must be reported.
        var rest = AssemblyRules.EngineSide(AssemblyFile.Of(Layers.Rest)).ToList();
        var grpc = AssemblyRules.EngineSide(AssemblyFile.Of(Layers.Grpc)).ToList();

        Assert.Contains("AotVector.Protocol.Rest references the assembly Microsoft.AspNetCore.Http.Abstractions", rest);
        Assert.Contains("AotVector.Protocol.Rest uses types of Microsoft.AspNetCore.Http", rest);
        Assert.Contains("AotVector.Protocol.Grpc references the assembly Grpc.Core.Api", grpc);
        Assert.Contains("AotVector.Protocol.Grpc references the assembly Google.Protobuf", grpc);
        Assert.Contains("AotVector.Protocol.Grpc uses types of Grpc.Core", grpc);
        Assert.Contains(AssemblyRules.EngineSide(AssemblyFile.Of(Layers.Server)), p => p.StartsWith("aotvector references the assembly AotVector.Protocol.Rest", StringComparison.Ordinal));
    }

    [Fact]
    public void The_assembly_rules_catch_a_front_end_that_uses_segments_and_unsafe_code_outside_its_place()
    {
        // The engine does use segments, and Kernels is compiled unsafe: with those names outside the allowed sets, both are reported.
        Assert.Equal(["AotVector.Engine references the assembly AotVector.Segment"], AssemblyRules.FrontEnd(AssemblyFile.Of(Layers.Engine)).Where(p => p.EndsWith(Layers.Segment, StringComparison.Ordinal)));
        Assert.Equal(["AotVector.Kernels is compiled with unsafe code"], AssemblyRules.UnsafeCode(AssemblyFile.Of(Layers.Kernels), [Layers.Storage]));
        Assert.Empty(AssemblyRules.UnsafeCode(AssemblyFile.Of(Layers.Common), []));
    }

    [Fact]
    public void The_surface_rule_catches_a_port_that_shows_a_segment_type()
    {
        Assert.Equal(
            [
                "AotVector.Architecture.Tests.ILeakyPort.Plan shows AotVector.Segment.IndexingPolicy",
                "AotVector.Architecture.Tests.ILeakyPort.Policy shows AotVector.Segment.IndexingPolicy",
            ],
            AssemblyRules.SurfaceLeaks([typeof(ILeakyPort)], Layers.UnderTheEngine).Order(StringComparer.Ordinal));
    }

    /// <summary>Writes src/, tests/ and perf/ project files for every layer, each referencing the layer just under it.</summary>
    private static void WriteLayeredTree(
        TempDirectory dir,
        Dictionary<string, string>? extra = null,
        Dictionary<string, string>? properties = null,
        Dictionary<string, string>? sdk = null)
    {
        string Ref(string name) => $"""<ProjectReference Include="../{name}/{name}.csproj" />""";
        var references = new Dictionary<string, string[]>
        {
            [Layers.Common] = [],
            [Layers.Kernels] = [Layers.Common],
            [Layers.Storage] = [Layers.Common],
            [Layers.Segment] = [Layers.Common, Layers.Kernels, Layers.Storage],
            [Layers.Engine] = [Layers.Segment],
            [Layers.Rest] = [Layers.Engine],
            [Layers.Grpc] = [Layers.Engine],
            [Layers.Server] = [Layers.Rest, Layers.Grpc],
        };
        foreach (var (name, refs) in references)
        {
            var items = string.Join("", refs.Select(Ref)) + (extra?.GetValueOrDefault(name) ?? "");
            if (name == Layers.Segment)
            {
                items += """<InternalsVisibleTo Include="AotVector.Segment.Tests" />""";
            }

            var props = (Layers.Unsafe.Contains(name) ? "<AllowUnsafeBlocks>true</AllowUnsafeBlocks>" : "") + (properties?.GetValueOrDefault(name) ?? "");
            WriteProject(dir, "src", name, sdk?.GetValueOrDefault(name) ?? (name == Layers.Server ? "Microsoft.NET.Sdk.Web" : "Microsoft.NET.Sdk"), props, items);
        }

        WriteProject(dir, "tests", "AotVector.Segment.Tests", "Microsoft.NET.Sdk", properties?.GetValueOrDefault("AotVector.Segment.Tests") ?? "",
            $"""<ProjectReference Include="../../src/{Layers.Segment}/{Layers.Segment}.csproj" />""");
        WriteProject(dir, "perf", "AotVector.Benchmarks", "Microsoft.NET.Sdk", "", $"""<ProjectReference Include="../../src/{Layers.Kernels}/{Layers.Kernels}.csproj" />""");
    }

    private static void WriteProject(TempDirectory dir, string area, string name, string sdk, string properties, string items)
    {
        var folder = dir.Combine(area, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".csproj"),
            $"""<Project Sdk="{sdk}"><PropertyGroup>{properties}</PropertyGroup><ItemGroup>{items}</ItemGroup></Project>""");
    }
}

/// <summary>A port as it must not be written: its signatures show a segment type to whoever implements or calls it.</summary>
public interface ILeakyPort
{
    AotVector.Segment.IndexingPolicy Policy { get; }

    void Plan(AotVector.Segment.IndexingPolicy policy);
}
