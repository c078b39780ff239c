using System.Collections.Concurrent;
using ActorHttp.Client;
using ActorHttp.Protocol;

namespace ActorHttp.Actors.Tests.Client.Facade;

/// <summary>A scripted transport: answers each request with the next script step and records what it was sent.</summary>
internal sealed class FakeRoundTripper : IRoundTripper
{
    private readonly ConcurrentQueue<Func<ClientRequest, CancellationToken, Task<ClientResponse>>> _script = new();

    public List<ClientRequest> Requests { get; } = [];

    /// <summary>Bodies the client received, as the transport handed them out, to check disposal.</summary>
    public List<TrackingStream> Bodies { get; } = [];

    /// <summary>What each request's content produced when the fake "wrote" it.</summary>
    public List<byte[]?> SentBodies { get; } = [];

    public FakeRoundTripper Then(Func<ClientRequest, CancellationToken, Task<ClientResponse>> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public FakeRoundTripper Then(int status, byte[]? body = null, params (string Name, string Value)[] headers) =>
        Then((request, _) => Task.FromResult(Response(request, status, body, headers)));

    public FakeRoundTripper Redirect(int status, string location) => Then(status, null, ("Location", location));

    public async Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
    {
        lock (Requests) Requests.Add(request);
        byte[]? sent = null;
        if (request.Content is { } content)
        {
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, ct);
            sent = buffer.ToArray();
        }
        lock (SentBodies) SentBodies.Add(sent);
        if (!_script.TryDequeue(out var step)) throw new InvalidOperationException($"Unscripted request {request}");
        return await step(request, ct);
    }

    public ClientResponse Response(ClientRequest request, int status, byte[]? body, (string Name, string Value)[] headers,
        HeaderCollection? trailers = null)
    {
        var stream = new TrackingStream(body ?? []);
        lock (Bodies) Bodies.Add(stream);
        return new ClientResponse(request, status, "Reason " + status, HttpProtocolVersion.Http11,
            HeaderCollection.FromFields(headers.Select(h => KeyValuePair.Create(h.Name, h.Value))), stream,
            trailers: trailers is null ? null : () => stream.AtEnd ? trailers : HeaderCollection.Empty);
    }
}

/// <summary>A body that records whether it was read to the end and disposed.</summary>
internal sealed class TrackingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    public bool Disposed { get; private set; }
    public bool AtEnd => Position == Length;

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
