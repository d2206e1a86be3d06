using System.Buffers;
using AotVector.Protocol.Grpc.Decoding;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Tests.Decoding;

public sealed class RequestDecodingTests
{
    private static readonly Method<GetCollectionInfoRequest, GetCollectionInfoResponse> s_get =
        RequestDecoding.Checked(GetMethod(), NullLogger.Instance);

    [Fact]
    public void A_valid_message_decodes_as_before()
    {
        var bytes = new GetCollectionInfoRequest { CollectionName = "books" }.ToByteArray();

        var request = s_get.RequestMarshaller.ContextualDeserializer(new Payload(bytes));

        Assert.Equal("books", request.CollectionName);
    }

    [Theory]
    [InlineData(new byte[] { 0x0a, 0x05, 0x61 }, "the input ended unexpectedly in the middle of a field")]
    [InlineData(new byte[] { 0x0a, 0x01, 0xff }, "a string field is not valid UTF-8")]
    [InlineData(new byte[] { 0x0f }, "invalid wire type")]
    [InlineData(new byte[] { 0x00 }, "invalid tag (zero)")]
    [InlineData(new byte[] { 0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f }, "negative size")]
    public void A_malformed_message_is_invalid_argument_naming_the_problem(byte[] bytes, string reason)
    {
        var e = Assert.Throws<RpcException>(() => s_get.RequestMarshaller.ContextualDeserializer(new Payload(bytes)));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(RequestDecoding.Prefix, e.Status.Detail);
        Assert.Contains(reason, e.Status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\n", e.Status.Detail);
    }

    [Fact]
    public void The_method_keeps_its_name_type_and_response_marshaller()
    {
        var original = GetMethod();

        Assert.Equal(original.FullName, s_get.FullName);
        Assert.Equal(original.Type, s_get.Type);
        Assert.Same(original.ResponseMarshaller, s_get.ResponseMarshaller);
        Assert.Same(original.RequestMarshaller.ContextualSerializer, s_get.RequestMarshaller.ContextualSerializer);
    }

    /// <summary>The generated method, taken from the generated binder (the only public way to it).</summary>
    private static Method<GetCollectionInfoRequest, GetCollectionInfoResponse> GetMethod()
    {
        var binder = new MethodCollector();
        Collections.BindService(binder, null!);
        return binder.Methods.OfType<Method<GetCollectionInfoRequest, GetCollectionInfoResponse>>().Single(m => m.Name == "Get");
    }

    private sealed class MethodCollector : ServiceBinderBase
    {
        public List<IMethod> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            Methods.Add(method);
    }

    private sealed class Payload(byte[] bytes) : DeserializationContext
    {
        public override int PayloadLength => bytes.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])bytes.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(bytes);
    }
}
