using System.Buffers;

namespace ActorHttp.Protocol;

/// <summary>
/// The result of one decoding step: status, a slice of the input holding body data (no copy),
/// and how many input bytes the step consumed (framing bytes plus the data).
/// </summary>
public readonly struct BodyDecodeResult
{
    internal BodyDecodeResult(BodyDecodeStatus status, ReadOnlySequence<byte> data, long consumed, ProtocolError error)
    {
        Status = status;
        Data = data;
        BytesConsumed = consumed;
        Error = error;
    }

    /// <summary>Data, end, need-more-data or rejected.</summary>
    public BodyDecodeStatus Status { get; }

    /// <summary>Body bytes when <see cref="Status"/> is <see cref="BodyDecodeStatus.Data"/>: a slice of the input.</summary>
    public ReadOnlySequence<byte> Data { get; }

    /// <summary>Input bytes consumed by this step, data included.</summary>
    public long BytesConsumed { get; }

    /// <summary>Why the body was rejected; <see cref="ProtocolError.None"/> otherwise.</summary>
    public ProtocolError Error { get; }

    /// <summary>Throws <see cref="HttpProtocolException"/> when rejected; returns the result otherwise.</summary>
    public BodyDecodeResult ThrowIfRejected() =>
        Status == BodyDecodeStatus.Rejected ? throw new HttpProtocolException(Error) : this;

    /// <inheritdoc />
    public override string ToString() => $"{Status}({Data.Length} data, {BytesConsumed} consumed{(Error == ProtocolError.None ? "" : ", " + Error)})";
}
