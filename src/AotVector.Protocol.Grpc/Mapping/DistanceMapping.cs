using AotVector.Common.Model;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Mapping;

/// <summary>The wire enum shares the engine's numbers (Cosine 1 … Manhattan 4); 0 is "unknown" and rejected.</summary>
internal static class DistanceMapping
{
    public static bool TryToEngine(Wire.Distance wire, out Distance distance)
    {
        distance = wire switch
        {
            Wire.Distance.Cosine => Distance.Cosine,
            Wire.Distance.Euclid => Distance.Euclid,
            Wire.Distance.Dot => Distance.Dot,
            Wire.Distance.Manhattan => Distance.Manhattan,
            _ => 0,
        };
        return distance != 0;
    }

    public static Wire.Distance ToWire(Distance distance) => distance switch
    {
        Distance.Cosine => Wire.Distance.Cosine,
        Distance.Euclid => Wire.Distance.Euclid,
        Distance.Dot => Wire.Distance.Dot,
        Distance.Manhattan => Wire.Distance.Manhattan,
    };
}
