using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using ActorHttp.Client;
using ActorHttp.Client.Proxy;
using ActorHttp.Configuration;

namespace ActorHttp.Cli.Get;

/// <summary>
/// <c>actorhttp get URL</c>: a small curl over the actor transport and the client facade.
/// </summary>
/// <remarks>
/// <para><b>Redirects</b> are returned as they are, as curl does, unless <c>-L</c>/<c>--location</c> is given:
/// then they are followed as the library's client follows them (up to <c>--max-redirs</c>, default
/// <c>actorhttp.client.max-redirects</c>; 301/302/303 become GET, 307/308 keep method and body), and
/// <c>-v</c> prints every hop. More redirects than allowed fail with <c>too_many_redirects</c>.</para>
/// <para>Like curl, <c>-d</c> and <c>--data-file</c> make the method POST (unless <c>-X</c>) and add
/// <c>Content-Type: application/x-www-form-urlencoded</c> unless <c>-H</c> sets one. gzip/deflate
/// bodies are decoded unless <c>-H 'Accept-Encoding: ...'</c> is given.</para>
/// <para><c>-x</c>/<c>--proxy</c> sends the request through an HTTP proxy (curl's <c>-x</c>): http:// URLs in
/// absolute form, https:// URLs through a CONNECT tunnel; it replaces <c>actorhttp.client.proxy</c> and keeps
/// its <c>no-proxy</c> list.</para>
/// <para>https: the server's certificate is checked against the system's trust store, or, with <c>--cacert FILE</c>, against
/// the PEM certificates in FILE (a certificate in FILE is trusted as it is: <c>serve --tls-self-signed --tls-export</c>'s);
/// <c>-k</c>/<c>--insecure</c> checks nothing. As curl's options.</para>
/// <para>Exit codes: 0 a response was read whole (any status); 1 the request failed; 2 bad arguments.</para>
/// </remarks>
internal static class GetCommand
{
    public static Command Create(RoundTripperFactory? transport = null, Func<CliConsole>? console = null)
    {
        var url = new Argument<string>("url", "The absolute http:// or https:// URL.");
        var method = new Option<string?>(["-X", "--request"], "The method (default GET, or POST with a body).");
        var headers = new Option<string[]>(["-H", "--header"], "A header field 'Name: value'; repeatable.");
        var data = new Option<string?>(["-d", "--data"], "The request body, sent as UTF-8.");
        var dataFile = new Option<FileInfo?>("--data-file", "A file whose bytes are the request body.");
        var include = new Option<bool>(["-i", "--include"], "Print the response head before the body.");
        var verbose = new Option<bool>(["-v", "--verbose"], "Print request heads, connection reuse and timings on standard error.");
        var output = new Option<FileInfo?>(["-o", "--output"], "Write the body to this file instead of standard output.");
        var timeout = new Option<double?>("--timeout", "Overall deadline in seconds (default: actorhttp.cli.get.timeout; 0 = none).");
        var json = new Option<bool>("--json", "Print exactly one JSON object describing the response (or the failure).");
        var config = new Option<FileInfo?>("--config", "A HOCON file with settings that override the defaults.");
        var location = new Option<bool>(["-L", "--location"], "Follow redirects (301, 302, 303, 307, 308).");
        var maxRedirs = new Option<int?>("--max-redirs", "With -L, follow at most this many redirects (default: actorhttp.client.max-redirects).");
        var proxy = new Option<string?>(["-x", "--proxy"],
            "An HTTP proxy, [http://][user:password@]host[:port], or 'environment' for HTTP_PROXY/HTTPS_PROXY/NO_PROXY (default: actorhttp.client.proxy).");
        var cacert = new Option<FileInfo?>("--cacert", "Trust the PEM certificates in this file for https, instead of the system's (curl's --cacert).");
        var insecure = new Option<bool>(["-k", "--insecure"], "Do not check the https server's certificate (curl's -k).");
        var command = new Command("get", "Send one request and print the response, like curl.")
        {
            url, method, headers, data, dataFile, include, verbose, output, timeout, json, config, proxy, location, maxRedirs, cacert, insecure,
        };
        command.SetHandler(async context =>
        {
            var r = context.ParseResult;
            var io = (console ?? CliConsole.System)();
            GetArguments args;
            Func<ClientSettings, ClientSettings>? useProxy = null;
            RoundTripperFactory factory;
            try
            {
                factory = transport ?? TransportChecking(ServerCertificateCheck.For(r.GetValueForOption(cacert), r.GetValueForOption(insecure)));
                args = Bind(r.GetValueForArgument(url), r.GetValueForOption(method), r.GetValueForOption(headers) ?? [],
                    r.GetValueForOption(data), r.GetValueForOption(dataFile), r.GetValueForOption(include),
                    r.GetValueForOption(verbose), r.GetValueForOption(output), r.GetValueForOption(timeout), r.GetValueForOption(json),
                    r.GetValueForOption(location), r.GetValueForOption(maxRedirs));
                if (r.GetValueForOption(proxy) is { } proxyOption)
                {
                    // curl reads a bare host[:port] as an http:// proxy.
                    var proxyUrl = proxyOption.Contains("://") || proxyOption.Equals("environment", StringComparison.OrdinalIgnoreCase)
                        ? proxyOption : "http://" + proxyOption;
                    ProxySettings.Parse(proxyUrl, []); // a bad URL is a usage error (exit 2), not a configuration one
                    // The configured no-proxy list still applies, as curl's NO_PROXY does with -x.
                    useProxy = settings => settings with { Proxy = ProxySettings.Parse(proxyUrl, settings.Proxy.NoProxy) };
                }
            }
            catch (FormatException e)
            {
                await io.Error.WriteLineAsync($"actorhttp get: {e.Message}").ConfigureAwait(false);
                context.ExitCode = 2;
                return;
            }
            await using var session = await ClientSession.TryStartAsync(r.GetValueForOption(config), factory,
                io, "get", useProxy).ConfigureAwait(false);
            if (session is null)
            {
                context.ExitCode = 1;
                return;
            }
            var deadline = args.Timeout ?? new SettingsReader(session.Config, "actorhttp.cli.get").Duration("timeout");
            context.ExitCode = await GetRunner.RunAsync(args, session.Transport, session.Settings.For(args.Url), deadline, io,
                context.GetCancellationToken()).ConfigureAwait(false);
        });
        return command;
    }

    // The tool's transport, with the server-certificate check --cacert or -k asked for (null: the system's).
    private static RoundTripperFactory TransportChecking(System.Net.Security.RemoteCertificateValidationCallback? check) =>
        check is null ? ClientTransports.Default
            : (system, settings) => ActorHttp.Client.Transport.ActorTransport.Create(system, settings,
                new ActorHttp.Client.Transport.TransportOptions { ServerCertificateValidation = check });

    /// <summary>Checks and converts the raw arguments.</summary>
    /// <exception cref="FormatException">A bad URL, header, method, timeout, or both -d and --data-file.</exception>
    internal static GetArguments Bind(string url, string? method, IReadOnlyList<string> headers, string? data, FileInfo? dataFile,
        bool include, bool verbose, FileInfo? output, double? timeoutSeconds, bool json, bool location = false, int? maxRedirs = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new FormatException($"'{url}' is not an absolute http or https URL.");
        if (data is not null && dataFile is not null) throw new FormatException("Give -d or --data-file, not both.");
        if (dataFile is { Exists: false }) throw new FormatException($"No such file: {dataFile.FullName}.");
        if (timeoutSeconds is < 0 or double.NaN or double.PositiveInfinity) throw new FormatException("--timeout takes a number of seconds, 0 or more.");
        if (maxRedirs is < 0) throw new FormatException("--max-redirs takes a number, 0 or more.");
        var fields = headers.Select(HeaderArgument.Parse).ToArray();
        try
        {
            ActorHttp.Client.RequestHeaders.From(fields);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        var verb = method ?? (data is not null || dataFile is not null ? "POST" : "GET");
        if (verb.Length == 0 || verb.Any(c => c <= ' ' || c > '~' || "\"(),/:;<=>?@[\\]{}".Contains(c)))
            throw new FormatException($"'{verb}' is not a method token.");
        return new GetArguments(uri, verb, fields, data is null ? null : Encoding.UTF8.GetBytes(data), dataFile,
            include, verbose, output, timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null, json, location, maxRedirs);
    }
}
