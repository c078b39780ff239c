using System.IO.Compression;

namespace ActorHttp.Client;

/// <summary>
/// The body the client hands out when it decoded content or runs a deadline: reads honour the
/// overall deadline (Go's Client.Timeout keeps running while the body is read), and failures
/// become <see cref="HttpClientException"/>s (deadline: RequestTimeout; corrupt gzip/deflate:
/// ContentDecoding). Owns the deadline's token source and disposes it with the body.
/// </summary>
internal sealed class ClientBodyStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly CancellationTokenSource? _deadline;
    private readonly ClientRequest _request;

    public ClientBodyStream(Stream inner, CancellationTokenSource? deadline, ClientRequest request)
    {
        _inner = inner;
        _deadline = deadline;
        _request = request;
    }

    public override int Read(Span<byte> buffer)
    {
        // A synchronous read cannot be interrupted; it can at least refuse to start late.
        ThrowIfDeadlinePassed();
        try
        {
            return _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw Decoding(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfDeadlinePassed();
        CancellationTokenSource? linked = null;
        var token = cancellationToken;
        if (_deadline is not null)
        {
            if (cancellationToken.CanBeCanceled)
            {
                linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token);
                token = linked.Token;
            }
            else token = _deadline.Token;
        }
        try
        {
            return await _inner.ReadAsync(buffer, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (_deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw Timeout(e);
        }
        catch (InvalidDataException e)
        {
            throw Decoding(e);
        }
        finally
        {
            linked?.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _deadline?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _deadline?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void ThrowIfDeadlinePassed()
    {
        if (_deadline is { IsCancellationRequested: true }) throw Timeout(null);
    }

    private HttpClientException Timeout(Exception? inner) =>
        new(ClientErrorKind.RequestTimeout, "The request timeout passed while the response body was being read.", _request, true, inner);

    private HttpClientException Decoding(Exception inner) =>
        new(ClientErrorKind.ContentDecoding, $"The response body could not be decoded: {inner.Message}", _request, true, inner);

    /// <summary>Wraps a decoder for <paramref name="contentEncoding"/> ("gzip", "x-gzip" or "deflate") around <paramref name="body"/>.</summary>
    public static Stream Decoder(string contentEncoding, Stream body) =>
        contentEncoding.Equals("deflate", StringComparison.OrdinalIgnoreCase)
            ? new ZlibOrDeflateStream(body)
            : new GZipStream(body, CompressionMode.Decompress);
}
