using AotVector.Protocol.Grpc.Health;
using Google.Protobuf.Reflection;
using Qdrant.Client.Grpc;

namespace AotVector.EndToEnd.Tests.Fuzz;

/// <summary>Every method of every service in protos/, from the descriptors compiled into this assembly.</summary>
internal static class ProtoMethods
{
    public static List<MethodDescriptor> All =>
    [
        .. new[]
        {
            CollectionsServiceReflection.Descriptor, PointsServiceReflection.Descriptor, SnapshotsServiceReflection.Descriptor,
            QdrantReflection.Descriptor, HealthReflection.Descriptor,
        }.SelectMany(f => f.Services).SelectMany(s => s.Methods),
    ];

    public static string Path(MethodDescriptor method) => "/" + method.Service.FullName + "/" + method.Name;
}
