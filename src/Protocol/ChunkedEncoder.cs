using System.Buffers;
using System.Buffers.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// Writes the chunked transfer coding (RFC 9112 §7.1): one chunk per call, then the last chunk
/// with an optional trailer section. Sizes are lower-case hex without leading zeros.
/// </summary>
public static class ChunkedEncoder
{
    /// <summary>Writes <c>size CRLF data CRLF</c>; an empty <paramref name="data"/> writes nothing (it would end the body).</summary>
    public static void WriteChunk(IBufferWriter<byte> writer, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (data.IsEmpty) return;
        var span = writer.GetSpan(20);
        Utf8Formatter.TryFormat((ulong)data.Length, span, out int n, new StandardFormat('x'));
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        writer.Advance(n);
        writer.Write(data);
        writer.Write("\r\n"u8);
    }

    /// <summary>Writes <c>0 CRLF</c>, the trailer fields, and the final CRLF.</summary>
    public static void WriteFinalChunk(IBufferWriter<byte> writer, HeaderCollection? trailers = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("0\r\n"u8);
        if (trailers is not null) HttpMessageWriter.WriteHeaders(writer, trailers);
        writer.Write("\r\n"u8);
    }
}
