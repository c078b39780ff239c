using ActorHttp.Client;
using ActorHttp.Client.Settings;
using ActorHttp.Protocol;

namespace ActorHttp.Cli.Get;

/// <summary>
/// Runs one <c>actorhttp get</c> over a round tripper: builds the request, sends it through the
/// client facade (so redirects, gzip and the deadline behave as for any library user), and
/// prints the response as the arguments ask.
/// </summary>
/// <remarks>
/// Exit codes: 0 when a response was read whole (whatever its status, as curl without <c>-f</c>),
/// 1 when the request or reading the body failed. Usage errors (2) are the command's.
/// </remarks>
internal static class GetRunner
{
    /// <summary>The form content type curl sends with <c>-d</c> when the caller set none.</summary>
    private const string FormContentType = "application/x-www-form-urlencoded";

    public static async Task<int> RunAsync(GetArguments args, IRoundTripper transport, HostSettings host, TimeSpan timeout,
        CliConsole console, CancellationToken ct)
    {
        var trace = args.Verbose ? new VerboseTrace(console.Error) : null;
        var client = new ActorHttpClient(trace is null ? transport : new VerboseRoundTripper(transport, trace),
            new ClientOptions(args.FollowRedirects ? args.MaxRedirects ?? host.MaxRedirects : 0, host.DisableCompression, host.UserAgent, timeout));

        await using var dataFile = args.DataFile?.OpenRead();
        var request = BuildRequest(args, dataFile, trace);

        ClientResponse? response = null;
        var body = new MemoryStream();
        try
        {
            response = await client.SendAsync(request, ct).ConfigureAwait(false);
            if (args.Json)
            {
                await response.Body.CopyToAsync(body, ct).ConfigureAwait(false);
                await console.Out.WriteLineAsync(GetJson.Format(response, body.ToArray(), response.Trailers, null)).ConfigureAwait(false);
                return 0;
            }
            if (args.Include) await console.Out.WriteAsync(Head(response)).ConfigureAwait(false);
            await WriteBodyAsync(response, args.Output, console, ct).ConfigureAwait(false);
            if (args.Include && response.Trailers.Count > 0) await console.Out.WriteAsync(Fields(response.Trailers)).ConfigureAwait(false);
            trace?.WriteSummary();
            return 0;
        }
        catch (Exception e) when (e is HttpClientException or OperationCanceledException or IOException)
        {
            if (args.Json)
                await console.Out.WriteLineAsync(GetJson.Format(response, body.ToArray(), HeaderCollection.Empty, e)).ConfigureAwait(false);
            else
                await console.Error.WriteLineAsync($"actorhttp get: {ErrorName.Of(e)}: {e.Message}").ConfigureAwait(false);
            trace?.WriteSummary();
            return 1;
        }
        finally
        {
            if (response is not null) await response.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static ClientRequest BuildRequest(GetArguments args, Stream? dataFile, IClientTrace? trace)
    {
        RequestContent? content = args.Data is { } data ? RequestContent.FromBytes(data)
            : dataFile is not null ? RequestContent.FromStream(dataFile) : null;
        var headers = RequestHeaders.From(args.Headers);
        if (content is not null && !headers.Contains("Content-Type")) headers = headers.Add("Content-Type", FormContentType);
        return new ClientRequest(args.Method, args.Url, content) { Headers = headers, Trace = trace };
    }

    /// <summary>"HTTP/1.1" or "HTTP/1.0".</summary>
    public static string Proto(HttpProtocolVersion version) => version == HttpProtocolVersion.Http10 ? "HTTP/1.0" : "HTTP/1.1";

    /// <summary>The status line without its line end.</summary>
    public static string StatusLine(ClientResponse response) =>
        $"{Proto(response.Version)} {response.StatusCode}{(response.ReasonPhrase.Length > 0 ? " " + response.ReasonPhrase : "")}";

    /// <summary>The head as <c>-i</c> prints it: status line, fields, empty line, each ended by CRLF as on the wire.</summary>
    public static string Head(ClientResponse response) => StatusLine(response) + "\r\n" + Fields(response.Headers) + "\r\n";

    private static string Fields(HeaderCollection fields) => string.Concat(fields.Select(f => $"{f.Name}: {f.Value}\r\n"));

    private static async Task WriteBodyAsync(ClientResponse response, FileInfo? output, CliConsole console, CancellationToken ct)
    {
        if (output is not null)
        {
            await using var file = output.Create();
            await response.Body.CopyToAsync(file, ct).ConfigureAwait(false);
            return;
        }
        if (console.RawOut is { } raw)
        {
            await console.Out.FlushAsync(ct).ConfigureAwait(false);
            await response.Body.CopyToAsync(raw, ct).ConfigureAwait(false);
            await raw.FlushAsync(ct).ConfigureAwait(false);
            return;
        }
        using var reader = new StreamReader(response.Body, leaveOpen: true);
        await console.Out.WriteAsync(await reader.ReadToEndAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
    }
}
