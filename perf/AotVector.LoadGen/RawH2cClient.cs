using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AotVector.LoadGen;

/// <summary>
/// The leanest gRPC client we can write: one blocking socket, HTTP/2 with prior knowledge, one unary call at a
/// time, request frames encoded once, response headers skipped rather than HPACK-decoded. A load generator that
/// shares the cores with the server should cost as little of them as possible (the role h2load plays for HTTP/2);
/// this one spends about one send and one or two receives per call.
/// </summary>
internal sealed class RawH2cClient : IDisposable
{
    private const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7;
    private const byte EndStream = 0x1, EndHeaders = 0x4, Ack = 0x1;

    private readonly Socket _socket;
    private readonly byte[] _headerBlock;
    private byte[] _out = new byte[64 * 1024];
    private readonly byte[] _in = new byte[64 * 1024];
    private int _inStart, _inEnd;
    private uint _nextStream = 1;
    private byte[] _body = new byte[4096];
    private int _bodyLength;

    public RawH2cClient(int port, string path)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, port);
        _headerBlock = RequestHeaderBlock($"127.0.0.1:{port}", path);

        // Preface, our settings (the largest stream window, so answers never wait for WINDOW_UPDATE) and a
        // connection window raised to the maximum for the same reason.
        var preface = new List<byte>(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        var settings = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(settings, 0x4);
        BinaryPrimitives.WriteUInt32BigEndian(settings.AsSpan(2), int.MaxValue);
        preface.AddRange(Frame(Settings, 0, 0, settings));
        var increment = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(increment, int.MaxValue - 65535);
        preface.AddRange(Frame(0x8, 0, 0, increment));
        _socket.Send(preface.ToArray());
    }

    /// <summary>One unary call: <paramref name="grpcMessage"/> is the 5-byte-prefixed message; returns the answer's message bytes.</summary>
    public ReadOnlySpan<byte> Call(ReadOnlySpan<byte> grpcMessage)
    {
        var stream = _nextStream;
        _nextStream += 2;
        var length = 9 + _headerBlock.Length + 9 + grpcMessage.Length;
        if (_out.Length < length)
        {
            _out = new byte[length];
        }

        var o = _out.AsSpan();
        WriteFrameHeader(o, _headerBlock.Length, Headers, EndHeaders, stream);
        _headerBlock.CopyTo(o[9..]);
        var d = o[(9 + _headerBlock.Length)..];
        WriteFrameHeader(d, grpcMessage.Length, Data, EndStream, stream);
        grpcMessage.CopyTo(d[9..]);
        SendAll(o[..length]);

        _bodyLength = 0;
        while (true)
        {
            var (frameLength, type, flags, id) = ReadFrameHeader();
            var payload = ReadPayload(frameLength);
            switch (type)
            {
                case Data when id == stream:
                    if (_body.Length < _bodyLength + payload.Length)
                    {
                        Array.Resize(ref _body, Math.Max(_body.Length * 2, _bodyLength + payload.Length));
                    }

                    payload.CopyTo(_body.AsSpan(_bodyLength));
                    _bodyLength += payload.Length;
                    if ((flags & EndStream) != 0)
                    {
                        return Message();
                    }

                    break;
                case Headers when id == stream:
                    // The answer's headers, then its trailers with END_STREAM. A failed call has no message.
                    if ((flags & EndStream) != 0)
                    {
                        return Message();
                    }

                    break;
                case Settings when (flags & Ack) == 0:
                    SendAll(Frame(Settings, Ack, 0, []));
                    break;
                case Ping when (flags & Ack) == 0:
                    SendAll(Frame(Ping, Ack, 0, payload));
                    break;
                case RstStream when id == stream:
                    throw new InvalidOperationException($"the server reset stream {stream}");
                case GoAway:
                    throw new InvalidOperationException("the server sent GOAWAY");
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private ReadOnlySpan<byte> Message()
    {
        // A 5-byte prefix (uncompressed flag 0 and the length), then the message; an error answer has none.
        if (_bodyLength < 5 || _body[0] != 0)
        {
            throw new InvalidOperationException($"unexpected gRPC answer: {_bodyLength} bytes of message");
        }

        return _body.AsSpan(5, _bodyLength - 5);
    }

    private (int Length, byte Type, byte Flags, uint Stream) ReadFrameHeader()
    {
        var h = ReadPayload(9);
        var length = (h[0] << 16) | (h[1] << 8) | h[2];
        return (length, h[3], h[4], BinaryPrimitives.ReadUInt32BigEndian(h[5..]) & 0x7FFF_FFFF);
    }

    private ReadOnlySpan<byte> ReadPayload(int count)
    {
        if (count > _in.Length)
        {
            throw new InvalidOperationException($"frame of {count} bytes is larger than the receive buffer");
        }

        if (_inEnd - _inStart < count)
        {
            Buffer.BlockCopy(_in, _inStart, _in, 0, _inEnd - _inStart);
            _inEnd -= _inStart;
            _inStart = 0;
            while (_inEnd < count)
            {
                var n = _socket.Receive(_in, _inEnd, _in.Length - _inEnd, SocketFlags.None);
                if (n == 0)
                {
                    throw new InvalidOperationException("the server closed the connection");
                }

                _inEnd += n;
            }
        }

        var span = _in.AsSpan(_inStart, count);
        _inStart += count;
        return span;
    }

    private void SendAll(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[_socket.Send(bytes)..];
        }
    }

    private static void WriteFrameHeader(Span<byte> at, int length, byte type, byte flags, uint stream)
    {
        at[0] = (byte)(length >> 16);
        at[1] = (byte)(length >> 8);
        at[2] = (byte)length;
        at[3] = type;
        at[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(at[5..], stream);
    }

    private static byte[] Frame(byte type, byte flags, uint stream, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        WriteFrameHeader(frame, payload.Length, type, flags, stream);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>HPACK (RFC 7541) without Huffman or the dynamic table: static-table entries and literals not indexed.</summary>
    private static byte[] RequestHeaderBlock(string authority, string path)
    {
        var block = new List<byte> { 0x83, 0x86 }; // :method POST, :scheme http
        Literal(block, 4, path);                     // :path
        Literal(block, 1, authority);                // :authority
        Literal(block, 31, "application/grpc");     // content-type
        block.Add(0x00);                             // te: trailers (a literal name)
        String(block, "te");
        String(block, "trailers");
        return block.ToArray();
    }

    private static void Literal(List<byte> block, int nameIndex, string value)
    {
        // Literal header field without indexing, indexed name: 4-bit prefix integer.
        if (nameIndex < 15)
        {
            block.Add((byte)nameIndex);
        }
        else
        {
            block.Add(0x0F);
            block.Add((byte)(nameIndex - 15));
        }

        String(block, value);
    }

    private static void String(List<byte> block, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length >= 127)
        {
            throw new ArgumentException("header values here are short", nameof(value));
        }

        block.Add((byte)bytes.Length);
        block.AddRange(bytes);
    }
}
