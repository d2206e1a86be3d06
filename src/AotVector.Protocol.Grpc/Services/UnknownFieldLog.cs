using AotVector.Common.Text;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Wire = Qdrant.Client.Grpc;

namespace AotVector.Protocol.Grpc.Services;

/// <summary>
/// Warnings about a collection create that carried fields this server does not know (a newer client's): served, as
/// the reference serves it, and logged as REST logs an unknown JSON field. Protobuf keeps only the number of an
/// unknown field, so that is what the line names.
/// </summary>
internal static partial class UnknownFieldLog
{
    private static readonly MessageParser<Wire.CreateCollection> s_knownOnly = Wire.CreateCollection.Parser.WithDiscardUnknownFields(true);

    public static void CreateCollection(ILogger? logger, Wire.CreateCollection request)
    {
        if (logger is null || !logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        // The parser keeps unknown fields and writes them back out; a parse that drops them shows which they were.
        var all = request.ToByteArray();
        var known = s_knownOnly.ParseFrom(all).ToByteArray();
        if (known.Length == all.Length)
        {
            return;
        }

        var knownNumbers = FieldNumbers(known);
        foreach (var number in FieldNumbers(all))
        {
            if (!knownNumbers.Contains(number))
            {
                LogUnknownField(logger, LogText.Printable(request.CollectionName), number);
            }
        }
    }

    // The top-level field numbers of a serialized message, in order of first appearance.
    private static List<int> FieldNumbers(byte[] message)
    {
        var numbers = new List<int>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!numbers.Contains(number))
            {
                numbers.Add(number);
            }

            input.SkipLastField();
        }

        return numbers;
    }

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning,
        Message = "Create collection {Collection}: unknown field number {Number} in the gRPC request was ignored (the reference ignores it too; a newer client may send fields this server does not know)")]
    private static partial void LogUnknownField(ILogger logger, string collection, int number);
}
