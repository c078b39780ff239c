namespace ActorHttp.Cli.Get;

/// <summary>What <c>actorhttp get</c> was asked to do, as parsed from its command line.</summary>
/// <param name="Url">The absolute http or https URL.</param>
/// <param name="Method">The method; GET, or POST when a body is given, unless <c>-X</c> says otherwise.</param>
/// <param name="Headers">The <c>-H</c> fields, in order.</param>
/// <param name="Data">The body from <c>-d</c>, UTF-8; null for none.</param>
/// <param name="DataFile">The body from <c>--data-file</c>, streamed (and re-read for a 307/308); null for none.</param>
/// <param name="Include">-i: print the response head before the body.</param>
/// <param name="Verbose">-v: request head, connection reuse and timings on standard error.</param>
/// <param name="Output">-o: where the body goes instead of standard output.</param>
/// <param name="Timeout">--timeout: the overall deadline; null = <c>actorhttp.cli.get.timeout</c>.</param>
/// <param name="Json">--json: one JSON object on standard output.</param>
/// <param name="FollowRedirects">-L: follow redirects (curl's <c>--location</c>); otherwise a 3xx is the response.</param>
/// <param name="MaxRedirects">--max-redirs: redirects followed at most with -L; null = <c>actorhttp.client.max-redirects</c>.</param>
internal sealed record GetArguments(
    Uri Url,
    string Method,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Data,
    FileInfo? DataFile,
    bool Include,
    bool Verbose,
    FileInfo? Output,
    TimeSpan? Timeout,
    bool Json,
    bool FollowRedirects = false,
    int? MaxRedirects = null);
