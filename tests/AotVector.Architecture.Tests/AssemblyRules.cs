using System.Reflection;

namespace AotVector.Architecture.Tests;

/// <summary>The rules read from built assemblies: what a layer actually uses, whatever its project file says.</summary>
internal static class AssemblyRules
{
    /// <summary>The engine side uses no web host, gRPC, protobuf, wire DTO, YAML, front-end or server assembly or type.</summary>
    public static IEnumerable<string> EngineSide(AssemblyFile assembly) =>
        assembly.References.Where(Layers.IsForbiddenUnderFrontEnds).Select(r => $"{assembly.Name} references the assembly {r}")
            .Concat(assembly.Namespaces.Where(Layers.IsForbiddenUnderFrontEnds).Select(ns => $"{assembly.Name} uses types of {ns}"));

    /// <summary>A front end uses the engine's API and Common, nothing of the segments, storage or kernels under them.</summary>
    public static IEnumerable<string> FrontEnd(AssemblyFile assembly) =>
        assembly.References.Where(r => Layers.UnderTheEngine.Contains(r)).Select(r => $"{assembly.Name} references the assembly {r}");

    public static IEnumerable<string> UnsafeCode(AssemblyFile assembly, IReadOnlyList<string> allowed) =>
        assembly.CompiledUnsafe && !allowed.Contains(assembly.Name) ? [$"{assembly.Name} is compiled with unsafe code"] : [];

    /// <summary>
    /// Public and protected signatures of <paramref name="types"/> that mention a type from one of
    /// <paramref name="hidden"/> (base types, interfaces, fields, properties, events, method and constructor
    /// parameters and results, generic arguments, arrays and by-refs of those).
    /// </summary>
    public static IEnumerable<string> SurfaceLeaks(IEnumerable<Type> types, IReadOnlyList<string> hidden)
    {
        bool Hidden(Type t) => Parts(t).Any(p => p.Assembly.GetName().Name is { } name && hidden.Contains(name));

        foreach (var type in types)
        {
            foreach (var inherited in type.GetInterfaces().Append(type.BaseType).OfType<Type>().Where(Hidden))
            {
                yield return $"{type.FullName} derives from {inherited.FullName}";
            }

            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(all).Where(Visible))
            {
                foreach (var used in SignatureTypes(member).Where(Hidden))
                {
                    yield return $"{type.FullName}.{member.Name} shows {used.FullName}";
                }
            }
        }
    }

    private static bool Visible(MemberInfo member) => member switch
    {
        // Accessors are reported through their property or event.
        MethodInfo { IsSpecialName: true } m when m.Name.StartsWith("get_", StringComparison.Ordinal) || m.Name.StartsWith("set_", StringComparison.Ordinal)
            || m.Name.StartsWith("add_", StringComparison.Ordinal) || m.Name.StartsWith("remove_", StringComparison.Ordinal) => false,
        MethodBase m => Exposed(m),
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(Exposed),
        EventInfo e => e.AddMethod is { } add && Exposed(add),
        _ => false,
    };

    private static bool Exposed(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;

    private static IEnumerable<Type> SignatureTypes(MemberInfo member) => member switch
    {
        MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        FieldInfo f => [f.FieldType],
        PropertyInfo p => p.GetIndexParameters().Select(i => i.ParameterType).Append(p.PropertyType),
        EventInfo e => e.EventHandlerType is { } handler ? [handler] : [],
        _ => [],
    };

    /// <summary>A type and every type it is built from (element types, generic arguments).</summary>
    private static IEnumerable<Type> Parts(Type type)
    {
        if (type.HasElementType)
        {
            return Parts(type.GetElementType()!);
        }

        return type.IsGenericType && !type.IsGenericTypeDefinition
            ? type.GetGenericArguments().SelectMany(Parts).Prepend(type.GetGenericTypeDefinition())
            : [type];
    }
}
