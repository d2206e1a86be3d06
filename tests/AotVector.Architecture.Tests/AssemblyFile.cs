using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AotVector.Architecture.Tests;

/// <summary>
/// What a built assembly's metadata says it uses, read without loading it: the assemblies it references, the
/// namespaces of every type it references, and whether it was compiled with unsafe code.
/// </summary>
internal sealed class AssemblyFile
{
    private AssemblyFile(string name, IReadOnlyList<string> references, IReadOnlyList<string> namespaces, bool unsafeCode)
    {
        Name = name;
        References = references;
        Namespaces = namespaces;
        CompiledUnsafe = unsafeCode;
    }

    public string Name { get; }

    public IReadOnlyList<string> References { get; }

    /// <summary>Namespaces of the types it references (a nested type counts under its outermost type's namespace).</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>
    /// True when compiled with AllowUnsafeBlocks: the compiler then marks the module [UnverifiableCode], whether or not
    /// an unsafe block made it into the code.
    /// </summary>
    public bool CompiledUnsafe { get; }

    /// <summary>The assembly built from the src project <paramref name="project"/>, copied next to these tests.</summary>
    public static AssemblyFile Of(string project) =>
        Load(Path.Combine(AppContext.BaseDirectory, (project == Layers.Server ? Layers.ServerAssembly : project) + ".dll"));

    public static AssemblyFile Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var references = reader.AssemblyReferences
            .Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))
            .Order(StringComparer.Ordinal)
            .ToList();
        var namespaces = reader.TypeReferences
            .Select(h => NamespaceOf(reader, h))
            .Where(ns => ns.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var unsafeCode = reader.GetModuleDefinition().GetCustomAttributes()
            .Select(h => AttributeTypeName(reader, reader.GetCustomAttribute(h)))
            .Contains("System.Security.UnverifiableCodeAttribute");
        return new AssemblyFile(reader.GetString(reader.GetAssemblyDefinition().Name), references, namespaces, unsafeCode);
    }

    private static string NamespaceOf(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = reader.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        }

        return reader.GetString(type.Namespace);
    }

    private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        var parent = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return parent.Kind switch
        {
            HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Namespace) + "." +
                                        reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name),
            HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Namespace) + "." +
                                         reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
            _ => "",
        };
    }
}
