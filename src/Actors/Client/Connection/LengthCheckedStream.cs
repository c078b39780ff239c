namespace ActorHttp.Client.Connection;

/// <summary>
/// Passes a Content-Length body through and refuses to write more than was declared: a content that lies
/// about its length would otherwise put bytes of its own on the wire where the server expects the next request.
/// </summary>
public sealed class LengthCheckedStream : WriteOnlyStream
{
    private readonly Stream _inner;
    private readonly long? _declared;
    private long _written;

    /// <summary>Writes to <paramref name="inner"/> at most <paramref name="declared"/> bytes (null: no check).</summary>
    public LengthCheckedStream(Stream inner, long? declared)
    {
        _inner = inner;
        _declared = declared;
    }

    /// <summary>Bytes written so far.</summary>
    public long Written => _written;

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _written += buffer.Length;
        if (_declared is { } d && _written > d)
            throw new HttpClientException(ClientErrorKind.RequestContent, $"The request content wrote more than its declared {d} bytes.");
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Throws unless exactly the declared length was written.</summary>
    public void Verify()
    {
        if (_declared is { } d && _written != d)
            throw new HttpClientException(ClientErrorKind.RequestContent, $"The request content wrote {_written} of its declared {d} bytes.");
    }
}
