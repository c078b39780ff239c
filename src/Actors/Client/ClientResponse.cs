using System.Globalization;
using System.Text;
using ActorHttp.Protocol;

namespace ActorHttp.Client;

/// <summary>
/// An HTTP response: status line, header fields in received order, the informational (1xx)
/// statuses that came before it, a body read on demand, the trailers that follow the body, and
/// the request it answers. It is also the reply message of the actor API;
/// <see cref="ToString"/> never prints the body.
/// </summary>
/// <remarks>
/// <para>Ownership: the response holds its connection until the body is read to the end or the
/// response (or its <see cref="Body"/>) is disposed. Disposing early tells the transport to drain
/// the rest within its bounds or close the connection; always dispose.</para>
/// <para>Everything but the body is immutable; the body is a forward-only stream read once.</para>
/// </remarks>
public sealed class ClientResponse : IDisposable, IAsyncDisposable
{
    private readonly Func<HeaderCollection>? _trailers;

    /// <summary>A response; the transport and tests build these.</summary>
    /// <param name="request">The request this answers (after redirects: the last one).</param>
    /// <param name="statusCode">The final status, 200-599 (or 101 for a protocol switch).</param>
    /// <param name="reasonPhrase">The reason phrase as received, possibly empty.</param>
    /// <param name="version">The version of the status line.</param>
    /// <param name="headers">The header fields in received order.</param>
    /// <param name="body">The body; an empty stream when the response has none.</param>
    /// <param name="informational">1xx statuses received before this one, in order; null for none.</param>
    /// <param name="trailers">Reads the trailer fields; meaningful once the body has been read to the end. Null: never any.</param>
    public ClientResponse(ClientRequest request, int statusCode, string reasonPhrase, HttpProtocolVersion version,
        HeaderCollection headers, Stream body, IReadOnlyList<int>? informational = null, Func<HeaderCollection>? trailers = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reasonPhrase);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 999);
        Request = request;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Version = version;
        Headers = headers;
        Body = body;
        Informational = informational ?? [];
        _trailers = trailers;
    }

    /// <summary>The request this answers; after redirects, the last request sent.</summary>
    public ClientRequest Request { get; }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase as received; carries no meaning (RFC 9112 §4).</summary>
    public string ReasonPhrase { get; }

    /// <summary>The version of the status line.</summary>
    public HttpProtocolVersion Version { get; }

    /// <summary>The header fields in received order.</summary>
    public HeaderCollection Headers { get; }

    /// <summary>Informational statuses (100, 103, ...) received before this response, in order.</summary>
    public IReadOnlyList<int> Informational { get; }

    /// <summary>The body, read on demand and once. Reading it to the end releases the connection.</summary>
    public Stream Body { get; }

    /// <summary>The trailer fields; empty until the body has been read to the end, and when there were none.</summary>
    public HeaderCollection Trailers => _trailers?.Invoke() ?? HeaderCollection.Empty;

    /// <summary>True for 2xx.</summary>
    public bool IsSuccessStatusCode => StatusCode is >= 200 and < 300;

    /// <summary>The Content-Length value when present and valid, else null (the body's length is unknown or framed otherwise).</summary>
    public long? ContentLength =>
        Headers.GetValue(KnownHeader.ContentLength) is { } text
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;

    /// <summary>This response with other headers and body (the client uses it to decode content); the trailer source is kept.</summary>
    public ClientResponse With(HeaderCollection headers, Stream body) =>
        new(Request, StatusCode, ReasonPhrase, Version, headers, body, Informational, _trailers);

    /// <summary>This response answering another request (the client records the request as it was given).</summary>
    public ClientResponse With(ClientRequest request) =>
        new(request, StatusCode, ReasonPhrase, Version, Headers, Body, Informational, _trailers);

    /// <summary>Reads the whole body into memory and releases the connection.</summary>
    public async Task<byte[]> ReadAsByteArrayAsync(CancellationToken ct = default)
    {
        await using var _ = this.ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Reads the whole body as UTF-8 text (or <paramref name="encoding"/>) and releases the connection.</summary>
    public async Task<string> ReadAsStringAsync(Encoding? encoding = null, CancellationToken ct = default) =>
        (encoding ?? Encoding.UTF8).GetString(await ReadAsByteArrayAsync(ct).ConfigureAwait(false));

    /// <summary>Releases the connection: drained and reused, or closed, as the transport decides.</summary>
    public void Dispose() => Body.Dispose();

    /// <summary>Releases the connection: drained and reused, or closed, as the transport decides.</summary>
    public ValueTask DisposeAsync() => Body.DisposeAsync();

    /// <summary>"HTTP/1.1 200 OK (n headers)" and the request; never the body.</summary>
    public override string ToString() =>
        $"HTTP/1.{(Version == HttpProtocolVersion.Http11 ? 1 : 0)} {StatusCode} {ReasonPhrase} ({Headers.Count} headers) for {Request.Method} {Request.Uri}";
}
