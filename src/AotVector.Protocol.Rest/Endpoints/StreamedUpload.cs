namespace AotVector.Protocol.Rest.Endpoints;

/// <summary>Endpoint metadata: the body is a large upload streamed to disk, not a request read into memory.</summary>
internal sealed class StreamedUpload
{
    public static readonly StreamedUpload Instance = new();

    private StreamedUpload()
    {
    }
}
