using System.Diagnostics;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>The <c>time</c> every response carries: seconds spent on the call, as Qdrant reports it.</summary>
internal static class ResponseTime
{
    public static long Start() => Stopwatch.GetTimestamp();

    public static double Since(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
