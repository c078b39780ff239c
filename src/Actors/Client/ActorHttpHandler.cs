using System.Net;
using System.Net.Http;
using ActorHttp.Protocol;

namespace ActorHttp.Client;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that runs <see cref="HttpClient"/> on ActorHttp:
/// <c>new HttpClient(new ActorHttpHandler(client))</c>. It sits over an
/// <see cref="ActorHttpClient"/>, not the bare transport, because HttpClient users expect the
/// handler to follow redirects and decode content as SocketsHttpHandler does; the client's
/// options (client.conf) govern both.
/// </summary>
/// <remarks>
/// <para><b>Requests.</b> Method, absolute URI, request and content headers (multiple values of
/// one name joined on one line as SocketsHttpHandler does: ", ", "; " for Cookie, " " for
/// User-Agent) and the content, streamed without buffering: its length (when HttpContent knows
/// it and chunked was not asked for) becomes Content-Length, otherwise it is sent chunked.
/// <c>Expect: 100-continue</c> is passed to the transport, which implements it.</para>
/// <para><b>Responses.</b> Status, reason, version; fields split into response and content
/// headers as HttpClient's header types require; content that streams from the connection;
/// trailers in <see cref="HttpResponseMessage.TrailingHeaders"/> once the body was read.
/// Disposing the response (or its content) releases the connection. A 101 (Switching Protocols) to a request
/// that asked to upgrade comes back as SocketsHttpHandler returns it: its content stream is the connection,
/// readable and writable, for the new protocol (WebSocket over HTTP/1.1, for one).</para>
/// <para><b>Errors.</b> Timeouts and cancellation: <see cref="TaskCanceledException"/>; other
/// failures: <see cref="HttpRequestException"/>; errors while reading the body:
/// <see cref="HttpIOException"/>. The <see cref="HttpClientException"/> is always the inner
/// exception. Unlike SocketsHttpHandler, exceeding the redirect limit is an error (Go's rule), not
/// the last 3xx.</para>
/// <para>HttpClient's own Timeout also applies; the client's request-timeout runs beside it.
/// Only the asynchronous path is supported (HttpClient.Send throws NotSupportedException).</para>
/// </remarks>
public sealed class ActorHttpHandler : HttpMessageHandler
{
    private readonly ActorHttpClient _client;

    /// <summary>A handler over <paramref name="client"/>.</summary>
    public ActorHttpHandler(ActorHttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>A handler over a new client of <paramref name="transport"/> with <paramref name="options"/>.</summary>
    public ActorHttpHandler(IRoundTripper transport, ClientOptions options) : this(new ActorHttpClient(transport, options)) { }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clientRequest = ToClientRequest(request);
        ClientResponse response;
        try
        {
            response = await _client.SendAsync(clientRequest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpClientException or OperationCanceledException)
        {
            throw HandlerErrors.ForSend(e, cancellationToken);
        }
        return ToResponseMessage(response, request);
    }

    /// <summary>The <see cref="ClientRequest"/> for an <see cref="HttpRequestMessage"/>.</summary>
    internal static ClientRequest ToClientRequest(HttpRequestMessage request)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
            throw new InvalidOperationException("The request URI must be absolute (set it, or HttpClient.BaseAddress).");
        // ClientWebSocket hands its ws:// or wss:// URI to the invoker; SocketsHttpHandler sends those as http and https.
        if (uri.Scheme is "ws" or "wss")
            uri = new UriBuilder(uri) { Scheme = uri.Scheme == "ws" ? Uri.UriSchemeHttp : Uri.UriSchemeHttps, Port = uri.IsDefaultPort ? -1 : uri.Port }.Uri;
        var fields = new List<KeyValuePair<string, string>>();
        AddFields(fields, request.Headers);
        RequestContent? content = null;
        if (request.Content is { } httpContent)
        {
            AddFields(fields, httpContent.Headers);
            // ContentLength asks the content to compute it (ByteArrayContent can); chunked when asked for or unknown.
            long? length = request.Headers.TransferEncodingChunked == true ? null : httpContent.Headers.ContentLength;
            content = new HttpContentRequestContent(httpContent, length);
        }
        return new ClientRequest(request.Method.Method, uri, content) { Headers = RequestHeaders.From(fields) };
    }

    /// <summary>The <see cref="HttpResponseMessage"/> for a <see cref="ClientResponse"/>.</summary>
    internal static HttpResponseMessage ToResponseMessage(ClientResponse response, HttpRequestMessage request)
    {
        var message = new HttpResponseMessage((HttpStatusCode)response.StatusCode)
        {
            ReasonPhrase = response.ReasonPhrase,
            Version = response.Version == HttpProtocolVersion.Http10 ? HttpVersion.Version10 : HttpVersion.Version11,
            RequestMessage = request,
        };
        // A 101's content is the connection, both ways (SocketsHttpHandler's raw connection stream).
        HttpContent content = response.StatusCode == 101 ? new UpgradedResponseContent(response) : new ClientResponseContent(response, message);
        foreach (var field in response.Headers)
        {
            // Response headers refuse content headers (and vice versa): try one, then the other.
            if (!message.Headers.TryAddWithoutValidation(field.Name, field.Value))
                content.Headers.TryAddWithoutValidation(field.Name, field.Value);
        }
        message.Content = content;
        return message;
    }

    private static void AddFields(List<KeyValuePair<string, string>> fields, System.Net.Http.Headers.HttpHeaders headers)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            // Framing is the transport's, from the content's length.
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            string separator = name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? "; "
                : name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase) ? " " : ", ";
            fields.Add(KeyValuePair.Create(name, values.Count == 1 ? values.ToString() : string.Join(separator, values)));
        }
    }
}
