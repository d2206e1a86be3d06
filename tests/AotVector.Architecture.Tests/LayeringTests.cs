using AotVector.Engine;
using AotVector.Testing;

namespace AotVector.Architecture.Tests;

/// <summary>The layer rules over this repository: its project files and the assemblies built from them.</summary>
public sealed class LayeringTests
{
    private static readonly string[] SourceProjects = [.. Layers.Level.Keys];

    [Fact]
    public void Project_references_point_down_only_and_unsafe_code_stays_in_kernels_and_storage()
    {
        var tree = ProjectTree.Load(RepoPaths.Root);

        Assert.Equal(SourceProjects.Order(), tree.Source.Select(p => p.Name).Order());
        NoProblems(ProjectRules.Check(tree));
    }

    [Fact]
    public void The_engine_side_uses_no_web_host_grpc_wire_dto_or_front_end_type()
    {
        var problems = Layers.EngineAndBelow.Select(AssemblyFile.Of).SelectMany(AssemblyRules.EngineSide);

        NoProblems(problems);
    }

    [Fact]
    public void The_front_ends_use_nothing_under_the_engine_api()
    {
        var problems = Layers.FrontEnds.Select(AssemblyFile.Of).SelectMany(AssemblyRules.FrontEnd);

        NoProblems(problems);
    }

    [Fact]
    public void Only_kernels_and_storage_are_compiled_with_unsafe_code()
    {
        var assemblies = SourceProjects.Select(AssemblyFile.Of).ToList();

        NoProblems(assemblies.SelectMany(a => AssemblyRules.UnsafeCode(a, Layers.Unsafe)));
        // Guards the check itself: the marker it looks for is there where unsafe code is allowed.
        Assert.All(Layers.Unsafe, name => Assert.True(assemblies.Single(a => a.Name == name).CompiledUnsafe, name));
    }

    [Fact]
    public void The_engine_public_surface_shows_no_segment_storage_or_kernel_type()
    {
        var problems = AssemblyRules.SurfaceLeaks(typeof(VectorEngine).Assembly.GetExportedTypes(), Layers.UnderTheEngine);

        NoProblems(problems);
    }

    /// <summary>Fails with every problem on its own line (a collection assertion would cut them short).</summary>
    private static void NoProblems(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            Assert.Fail("The layer rules are broken:\n" + string.Join("\n", list));
        }
    }
}
