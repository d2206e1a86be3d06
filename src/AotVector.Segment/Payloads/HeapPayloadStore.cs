using AotVector.Common.Model;

namespace AotVector.Segment.Payloads;

/// <summary>Payloads held as objects on the managed heap (<c>on_disk_payload: false</c>); persisted inline in the segment's state file.</summary>
internal sealed class HeapPayloadStore : PayloadStore
{
    private readonly List<Payload?> _payloads = [];

    public override bool OnDisk => false;

    public override uint Count => (uint)_payloads.Count;

    public override bool GetReturnsCopy => false;

    /// <summary>Walks every payload and encodes it, so callers that ask often cache it.</summary>
    public override ulong EncodedBytes
    {
        get
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            ulong total = 0;
            foreach (var payload in _payloads)
            {
                if (payload is not null)
                {
                    buffer.ResetWrittenCount();
                    PayloadCodec.Write(buffer, payload);
                    total += (ulong)buffer.WrittenCount;
                }
            }

            return total;
        }
    }

    public override Payload? Get(uint offset) => offset < _payloads.Count ? _payloads[(int)offset] : null;

    public override StagedPayload Stage(Payload? payload) => new(payload is null || payload.Count == 0 ? null : payload, 0, 0);

    public override void Assign(uint offset, in StagedPayload staged) => _payloads[(int)offset] = staged.Payload;

    public override void AddOffset() => _payloads.Add(null);
}
