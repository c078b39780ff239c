using ActorHttp.Client;

namespace ActorHttp.Cli.Get;

/// <summary>
/// Sits between the client facade and the transport for <c>actorhttp get -v</c>, so the request
/// heads printed are those sent on the wire (with the Host, User-Agent and Accept-Encoding the
/// facade adds, and one per redirect hop), and each hop's response head follows its request.
/// </summary>
internal sealed class VerboseRoundTripper : IRoundTripper
{
    private readonly IRoundTripper _inner;
    private readonly VerboseTrace _trace;

    public VerboseRoundTripper(IRoundTripper inner, VerboseTrace trace)
    {
        _inner = inner;
        _trace = trace;
    }

    public async Task<ClientResponse> RoundTripAsync(ClientRequest request, CancellationToken ct)
    {
        var head = new List<string> { $"> {request.Method} {request.Uri.PathAndQuery} HTTP/1.1" };
        head.AddRange(request.Headers.Select(h => $"> {h.Key}: {h.Value}"));
        if (request.Content is { } content)
            head.Add(content.Length is { } n ? $"> (body: {n} bytes)" : "> (body: chunked)");
        head.Add(">");
        _trace.WriteLines(head);

        var response = await _inner.RoundTripAsync(request, ct).ConfigureAwait(false);
        var lines = new List<string> { $"< {GetRunner.StatusLine(response)}" };
        foreach (var field in response.Headers) lines.Add($"< {field.Name}: {field.Value}");
        lines.Add("<");
        _trace.WriteLines(lines);
        return response;
    }
}
