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

    [Fact]
    public async Task While_collections_load_check_is_not_serving_and_watch_reports_the_end_of_loading()
    {
        var storage = new LoadingStorage();
        var service = new HealthService(new Readiness(storage, null));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await service.Check(new HealthCheckRequest(), TestServerCallContext.Create())).Status);
        var failed = await Assert.ThrowsAsync<RpcException>(() => new QdrantService(new Readiness(storage, null)).HealthCheck(new Qdrant.Client.Grpc.HealthCheckRequest(), TestServerCallContext.Create()));
        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Contains("loading collections: 3 to go", failed.Status.Detail, StringComparison.Ordinal);

        using var cancellation = new CancellationTokenSource();
        var writer = new CountingWriter(cancellation, stopAfter: 2);
        var watch = service.Watch(new HealthCheckRequest(), writer, TestServerCallContext.Create(cancellationToken: cancellation.Token));
        Assert.False(watch.IsCompleted);
        storage.FinishLoading();
        await watch.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([HealthCheckResponse.Types.ServingStatus.NotServing, HealthCheckResponse.Types.ServingStatus.Serving], writer.Messages.Select(m => m.Status));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await service.Check(new HealthCheckRequest(), TestServerCallContext.Create())).Status);
    }

    private sealed class LoadingStorage : AotVector.Engine.Api.IStorageStatus
    {
        private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _done;

        public AotVector.Engine.Api.StorageStatus Status => new(_done, _done ? 0 : 3, []);

        public Task Loaded => _loaded.Task;

        public void FinishLoading()
        {
            _done = true;
            _loaded.SetResult();
        }
    }

    /// <summary>Records messages and hangs up after <paramref name="stopAfter"/> of them.</summary>
    private sealed class CountingWriter(CancellationTokenSource cancellation, int stopAfter) : IServerStreamWriter<HealthCheckResponse>
    {
        public List<HealthCheckResponse> Messages { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(HealthCheckResponse message)
        {
            Messages.Add(message);
            if (Messages.Count >= stopAfter)
            {
                cancellation.Cancel();
            }

            return Task.CompletedTask;
        }
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
