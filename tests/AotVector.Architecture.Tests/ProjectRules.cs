namespace AotVector.Architecture.Tests;

/// <summary>
/// The rules read from the project files. Each broken rule is one line naming the file and what is wrong, so a
/// failing test says what to move.
/// </summary>
internal static class ProjectRules
{
    public static IReadOnlyList<string> Check(ProjectTree tree)
    {
        var problems = new List<string>();
        foreach (var project in tree.Source)
        {
            if (!Layers.Level.TryGetValue(project.Name, out var level))
            {
                problems.Add($"{project.RelativePath}: not in the layer table (place it in Layers.Level)");
                continue;
            }

            foreach (var target in project.References)
            {
                if (!Layers.Level.TryGetValue(target, out var targetLevel))
                {
                    problems.Add($"{project.RelativePath}: references {target}, which is not a layer of src");
                }
                else if (targetLevel >= level)
                {
                    problems.Add($"{project.RelativePath}: references {target}; layers point down only");
                }
                else if (Layers.FrontEnds.Contains(project.Name) && Layers.UnderTheEngine.Contains(target))
                {
                    problems.Add($"{project.RelativePath}: references {target}; a front end sees the engine's API, not what is under it");
                }
            }

            if (Layers.EngineAndBelow.Contains(project.Name))
            {
                CheckEngineSide(project, problems);
            }
        }

        foreach (var project in tree.Projects.Where(p => p.AllowsUnsafe && !(p.Area == "src" && Layers.Unsafe.Contains(p.Name))))
        {
            problems.Add($"{project.RelativePath}: sets AllowUnsafeBlocks; unsafe code belongs in {string.Join(" and ", Layers.Unsafe)} only");
        }

        foreach (var shared in tree.SharedFilesSettingUnsafe)
        {
            problems.Add($"{shared}: sets AllowUnsafeBlocks for every project under it; unsafe code belongs in {string.Join(" and ", Layers.Unsafe)} only");
        }

        foreach (var project in tree.Projects)
        {
            foreach (var friend in project.InternalsVisibleTo)
            {
                if (tree.Find(friend) is not { } reader || !reader.References.Contains(project.Name))
                {
                    problems.Add($"{project.RelativePath}: InternalsVisibleTo {friend}, which is no project referencing it");
                }
            }
        }

        return problems;
    }

    /// <summary>The engine and below are plain libraries: no web SDK, no shared framework, no web, wire or YAML packages.</summary>
    private static void CheckEngineSide(ProjectFile project, List<string> problems)
    {
        if (project.Sdk != "Microsoft.NET.Sdk")
        {
            problems.Add($"{project.RelativePath}: uses the SDK {project.Sdk}; the engine side builds on Microsoft.NET.Sdk");
        }

        foreach (var framework in project.Frameworks)
        {
            problems.Add($"{project.RelativePath}: references the framework {framework}; the engine side sees no web host");
        }

        foreach (var package in project.Packages.Where(Layers.IsForbiddenUnderFrontEnds))
        {
            problems.Add($"{project.RelativePath}: references the package {package}; the engine side sees no web host, gRPC, wire DTO or YAML");
        }
    }
}
