namespace AotVector.Engine.Api;

/// <summary>Cluster mode's part of readiness: null once this peer has joined and caught up, else why not.</summary>
public interface IClusterReadiness
{
    string? NotReadyReason { get; }
}
