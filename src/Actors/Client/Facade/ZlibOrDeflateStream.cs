using System.IO.Compression;

namespace ActorHttp.Client;

/// <summary>
/// Decodes <c>Content-Encoding: deflate</c>, which RFC 9110 §8.4.1.2 defines as the zlib format
/// but which some servers send as raw deflate: the first two bytes decide (a zlib header names
/// method 8 and is a multiple of 31), as SocketsHttpHandler and browsers do.
/// </summary>
internal sealed class ZlibOrDeflateStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private Stream? _decoder;

    public ZlibOrDeflateStream(Stream inner) => _inner = inner;

    public override int Read(Span<byte> buffer)
    {
        if (_decoder is null)
        {
            var head = new byte[2];
            int n = 0;
            while (n < head.Length)
            {
                int r = _inner.Read(head, n, head.Length - n);
                if (r == 0) break;
                n += r;
            }
            _decoder = CreateDecoder(head, n);
        }
        return _decoder.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_decoder is null)
        {
            var head = new byte[2];
            int n = 0;
            while (n < head.Length)
            {
                int r = await _inner.ReadAsync(head.AsMemory(n), cancellationToken).ConfigureAwait(false);
                if (r == 0) break;
                n += r;
            }
            _decoder = CreateDecoder(head, n);
        }
        return await _decoder.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder?.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private Stream CreateDecoder(byte[] head, int count)
    {
        if (count == 0) return Null;
        bool zlib = count == 2 && (head[0] & 0x0F) == 8 && ((head[0] << 8) | head[1]) % 31 == 0;
        var source = new PrefixedStream(head.AsMemory(0, count), _inner);
        return zlib ? new ZLibStream(source, CompressionMode.Decompress) : new DeflateStream(source, CompressionMode.Decompress);
    }

    // The sniffed bytes, then the rest: nested because nothing else needs to put bytes back.
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) return rest.Read(buffer);
            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _prefix.IsEmpty ? rest.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));
    }
}
