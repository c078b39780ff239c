using System.Buffers;

namespace ActorHttp.Protocol;

/// <summary>
/// Writes one message body in the framing its head announced, and refuses to break that
/// framing: a Content-Length body can be neither longer nor shorter than announced, a body on a
/// message without one is refused. The mirror of <see cref="BodyDecoder"/>.
/// </summary>
public sealed class BodyEncoder
{
    private readonly BodyKind _kind;
    private long _remaining;
    private bool _finished;

    /// <summary>Creates an encoder for a body framed by <paramref name="framing"/>.</summary>
    public BodyEncoder(MessageFraming framing)
    {
        _kind = framing.Kind;
        _remaining = framing.Kind == BodyKind.ContentLength ? framing.ContentLength : 0;
    }

    /// <summary>Bytes still owed for a Content-Length body; 0 for the other framings.</summary>
    public long Remaining => _remaining;

    /// <summary>True after <see cref="Finish"/>.</summary>
    public bool IsFinished => _finished;

    /// <summary>Writes body bytes.</summary>
    /// <exception cref="InvalidOperationException">The body exceeds its Content-Length, the message has no body, or it was finished.</exception>
    public void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_finished) throw new InvalidOperationException("The body is already finished.");
        switch (_kind)
        {
            case BodyKind.None when !data.IsEmpty:
                throw new InvalidOperationException("This message has no body.");
            case BodyKind.ContentLength:
                if (data.Length > _remaining)
                    throw new InvalidOperationException($"The body exceeds its Content-Length by {data.Length - _remaining} bytes.");
                _remaining -= data.Length;
                writer.Write(data);
                break;
            case BodyKind.Chunked:
                ChunkedEncoder.WriteChunk(writer, data);
                break;
            case BodyKind.ReadToClose:
                writer.Write(data);
                break;
        }
    }

    /// <summary>Ends the body: the last chunk and <paramref name="trailers"/> for chunked; a check for Content-Length.</summary>
    /// <exception cref="InvalidOperationException">A Content-Length body is short, or trailers were given for a non-chunked body.</exception>
    public void Finish(IBufferWriter<byte> writer, HeaderCollection? trailers = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_finished) return;
        if (_kind == BodyKind.ContentLength && _remaining != 0)
            throw new InvalidOperationException($"The body is {_remaining} bytes short of its Content-Length.");
        if (trailers is { Count: > 0 } && _kind != BodyKind.Chunked)
            throw new InvalidOperationException("Trailers need the chunked coding.");
        if (_kind == BodyKind.Chunked) ChunkedEncoder.WriteFinalChunk(writer, trailers);
        _finished = true;
    }
}
