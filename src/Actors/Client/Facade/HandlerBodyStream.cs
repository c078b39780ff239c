using System.Net.Http;

namespace ActorHttp.Client;

/// <summary>
/// The response body as <see cref="HttpClient"/> users read it: at the end of the body the
/// trailers are copied into <see cref="HttpResponseMessage.TrailingHeaders"/> (as
/// SocketsHttpHandler does), and client failures surface as <see cref="HttpIOException"/> with
/// the <see cref="HttpClientException"/> inside, since stream readers expect an IOException.
/// </summary>
internal sealed class HandlerBodyStream : ReadOnlyStream
{
    private readonly ClientResponse _response;
    private readonly HttpResponseMessage _message;
    private bool _trailersCopied;

    public HandlerBodyStream(ClientResponse response, HttpResponseMessage message)
    {
        _response = response;
        _message = message;
    }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return AtEnd(_response.Body.Read(buffer), buffer.Length);
        }
        catch (HttpClientException e)
        {
            throw HandlerErrors.ForBody(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return AtEnd(await _response.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Length);
        }
        catch (HttpClientException e)
        {
            throw HandlerErrors.ForBody(e);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _response.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _response.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int AtEnd(int read, int asked)
    {
        if (read == 0 && asked > 0 && !_trailersCopied)
        {
            _trailersCopied = true;
            foreach (var field in _response.Trailers)
                _message.TrailingHeaders.TryAddWithoutValidation(field.Name, field.Value);
        }
        return read;
    }
}
