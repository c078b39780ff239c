using System.Net;
using System.Net.Sockets;
using ActorHttp.Client;
using ActorHttp.Protocol;

namespace ActorHttp.Cli.Tests;

/// <summary>
/// TEST ONLY: an <see cref="IRoundTripper"/> over SocketsHttpHandler, standing in for the actor
/// transport until it is merged. Raises DialStart/DialDone (from the connect callback) and GotConn
/// (reused when no dial happened for the request: exact for sequential requests only).
/// </summary>
internal sealed class SocketsRoundTripper : IRoundTripper, IDisposable
{
    private static readonly HttpRequestOptionsKey<IClientTrace> TraceKey = new("trace");
    private readonly HttpMessageInvoker _invoker;
    private int _dials;

    public SocketsRoundTripper(int maxConnsPerHost = int.MaxValue)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = maxConnsPerHost,
            ConnectCallback = async (context, ct) =>
            {
                Interlocked.Increment(ref _dials);
                var trace = context.InitialRequestMessage.Options.TryGetValue(TraceKey, out var t) ? t : null;
                var address = $"{context.DnsEndPoint.Host}:{context.DnsEndPoint.Port}";
                trace?.OnEvent(new DialStart(address));
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    var error = new HttpClientException(ClientErrorKind.Dial, e.Message);
                    trace?.OnEvent(new DialDone(address, null, error));
                    throw error;
                }
                trace?.OnEvent(new DialDone(address, socket.RemoteEndPoint?.ToString(), null));
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        _invoker = new HttpMessageInvoker(handler);
    }

    public async Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Uri) { Version = HttpVersion.Version11 };
        if (request.Trace is { } trace) message.Options.Set(TraceKey, trace);
        if (request.Content is { } content) message.Content = new Content(content);
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) message.Headers.Host = value;
            else if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        request.Trace?.OnEvent(new GetConn($"{request.Uri.Host}:{request.Uri.Port}"));
        int dialsBefore = Volatile.Read(ref _dials);
        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(message, ct);
        }
        catch (HttpRequestException e)
        {
            throw ErrorOf(e, request);
        }
        bool dialed = Volatile.Read(ref _dials) != dialsBefore;
        request.Trace?.OnEvent(new GotConn(!dialed, !dialed, TimeSpan.Zero));
        request.Trace?.OnEvent(new WroteRequest(null));
        request.Trace?.OnEvent(GotFirstResponseByte.Instance);
        var fields = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v)));
        var body = await response.Content.ReadAsStreamAsync(ct);
        return new ClientResponse(request, (int)response.StatusCode, response.ReasonPhrase ?? "",
            response.Version == HttpVersion.Version10 ? HttpProtocolVersion.Http10 : HttpProtocolVersion.Http11,
            HeaderCollection.FromFields(fields), body, null,
            () => HeaderCollection.FromFields(response.TrailingHeaders.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v)))));
    }

    public void Dispose() => _invoker.Dispose();

    private static HttpClientException ErrorOf(HttpRequestException e, ClientRequest request)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            if (inner is HttpClientException h) return h;
        return new HttpClientException(ClientErrorKind.ConnectionReset, e.Message, request, true, e);
    }

    private sealed class Content(RequestContent content) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => content.CopyToAsync(stream, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = content.Length ?? 0;
            return content.Length is not null;
        }
    }
}
