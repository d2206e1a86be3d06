using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AotVector.Architecture.Tests;

/// <summary>
/// What the layer rules need from one .csproj: its SDK, project, package and framework references, whether it allows
/// unsafe code, and the assemblies it shows its internals to (csproj items and <c>[assembly: InternalsVisibleTo]</c>
/// in its sources).
/// </summary>
internal sealed partial record ProjectFile(
    string Name,
    string RelativePath,
    string Sdk,
    IReadOnlyList<string> References,
    IReadOnlyList<string> Packages,
    IReadOnlyList<string> Frameworks,
    bool AllowsUnsafe,
    IReadOnlyList<string> InternalsVisibleTo)
{
    /// <summary>The top folder of the tree it sits in: src, tests or perf.</summary>
    public string Area => RelativePath.Split('/')[0];

    public static ProjectFile Load(string root, string path)
    {
        var document = XDocument.Load(path);
        var project = document.Root!;
        var directory = Path.GetDirectoryName(path)!;
        return new ProjectFile(
            Path.GetFileNameWithoutExtension(path),
            Path.GetRelativePath(root, path).Replace('\\', '/'),
            (string?)project.Attribute("Sdk") ?? "",
            [.. Items(project, "ProjectReference").Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))],
            [.. Items(project, "PackageReference")],
            [.. Items(project, "FrameworkReference")],
            SetsUnsafe(project),
            [.. Items(project, "InternalsVisibleTo").Concat(AttributeTargets(directory)).Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Whether an MSBuild file turns on <c>AllowUnsafeBlocks</c> (under any condition: a rule errs on the strict side).</summary>
    public static bool SetsUnsafe(XElement project) =>
        project.Descendants().Any(e => e.Name.LocalName == "AllowUnsafeBlocks" && string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> Items(XElement project, string kind) =>
        project.Descendants()
            .Where(e => e.Name.LocalName == kind)
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>();

    private static IEnumerable<string> AttributeTargets(string directory) =>
        ProjectTree.SourceFiles(directory)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => InternalsVisibleToAttribute().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value));

    [GeneratedRegex("""^\s*\[assembly:\s*(?:System\.Runtime\.CompilerServices\.)?InternalsVisibleTo\(\s*"([^",]+)""", RegexOptions.Multiline)]
    private static partial Regex InternalsVisibleToAttribute();
}
