using System.Xml.Linq;

namespace AotVector.Architecture.Tests;

/// <summary>
/// Every project of a source tree (src, tests, perf) and the shared MSBuild files (Directory.Build.props/.targets)
/// that reach all projects below them. Build output and installed packages are skipped.
/// </summary>
internal sealed class ProjectTree
{
    private ProjectTree(IReadOnlyList<ProjectFile> projects, IReadOnlyList<string> sharedFilesSettingUnsafe)
    {
        Projects = projects;
        SharedFilesSettingUnsafe = sharedFilesSettingUnsafe;
    }

    public IReadOnlyList<ProjectFile> Projects { get; }

    /// <summary>Directory.Build.props/.targets files (relative paths) that turn on unsafe code for a whole subtree.</summary>
    public IReadOnlyList<string> SharedFilesSettingUnsafe { get; }

    public IEnumerable<ProjectFile> Source => Projects.Where(p => p.Area == "src");

    public ProjectFile? Find(string name) => Projects.FirstOrDefault(p => p.Name == name);

    public static ProjectTree Load(string root)
    {
        var files = SourceFiles(root).ToList();
        var projects = files.Where(f => f.EndsWith(".csproj", StringComparison.Ordinal))
            .Select(f => ProjectFile.Load(root, f))
            .OrderBy(p => p.RelativePath, StringComparer.Ordinal)
            .ToList();
        var shared = files.Where(f => Path.GetFileName(f) is "Directory.Build.props" or "Directory.Build.targets")
            .Where(f => ProjectFile.SetsUnsafe(XDocument.Load(f).Root!))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .ToList();
        return new ProjectTree(projects, shared);
    }

    /// <summary>The files under <paramref name="directory"/>, without build output, restored packages or VCS data.</summary>
    public static IEnumerable<string> SourceFiles(string directory)
    {
        var pending = new Stack<string>([directory]);
        while (pending.TryPop(out var current))
        {
            foreach (var file in Directory.EnumerateFiles(current))
            {
                yield return file;
            }

            foreach (var child in Directory.EnumerateDirectories(current))
            {
                if (Path.GetFileName(child) is not ("bin" or "obj" or "artifacts" or "node_modules" or ".git"))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
