using AotVector.Protocol.Grpc.Health;
using AotVector.Protocol.Grpc.Services;
using AotVector.Protocol.Grpc.Tests.TestSupport;
using Grpc.Core;

namespace AotVector.Protocol.Grpc.Tests.Services;

public sealed class HealthServiceTests
{
    [Fact]
    public async Task Check_IsServing()
    {
        var response = await new HealthService().Check(new HealthCheckRequest(), TestServerCallContext.Create());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Watch_SendsServingOnceThenEndsOnCancellation()
    {
        using var cancellation = new CancellationTokenSource();
        var writer = new RecordingWriter(cancellation);

        await new HealthService().Watch(new HealthCheckRequest(), writer, TestServerCallContext.Create(cancellationToken: cancellation.Token));

        var message = Assert.Single(writer.Messages);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, message.Status);
    }

    /// <summary>Cancels the call as soon as the first message is written, like a client that hangs up.</summary>
    private sealed class RecordingWriter(CancellationTokenSource cancellation) : IServerStreamWriter<HealthCheckResponse>
    {
        public List<HealthCheckResponse> Messages { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(HealthCheckResponse message)
        {
            Messages.Add(message);
            cancellation.Cancel();
            return Task.CompletedTask;
        }
    }
}
