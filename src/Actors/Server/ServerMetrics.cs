using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorHttp.Server;

/// <summary>
/// The server's instruments on the <c>ActorHttp.Server</c> meter, named as ASP.NET Core names
/// them (meters <c>Microsoft.AspNetCore.Hosting</c> and <c>Microsoft.AspNetCore.Server.Kestrel</c>)
/// so that dashboards built for Kestrel read ActorHttp unchanged.
/// </summary>
/// <remarks>
/// One instance per process: instruments are cheap to record to and thread-safe, and the
/// OpenTelemetry and dotnet-counters listeners subscribe by meter name.
/// </remarks>
public static class ServerMetrics
{
    /// <summary>The meter's name, for listeners.</summary>
    public const string MeterName = "ActorHttp.Server";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Duration of HTTP server requests, in seconds (<c>http.server.request.duration</c>).</summary>
    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "http.server.request.duration", unit: "s", description: "Duration of HTTP server requests.");

    /// <summary>Requests currently being handled (<c>http.server.active_requests</c>).</summary>
    internal static readonly UpDownCounter<long> ActiveRequests = Meter.CreateUpDownCounter<long>(
        "http.server.active_requests", unit: "{request}", description: "Number of active HTTP server requests.");

    /// <summary>Connections currently open (<c>kestrel.active_connections</c>).</summary>
    internal static readonly UpDownCounter<long> ActiveConnections = Meter.CreateUpDownCounter<long>(
        "kestrel.active_connections", unit: "{connection}", description: "Number of connections that are currently active on the server.");

    /// <summary>How long connections lived, in seconds (<c>kestrel.connection.duration</c>).</summary>
    internal static readonly Histogram<double> ConnectionDuration = Meter.CreateHistogram<double>(
        "kestrel.connection.duration", unit: "s", description: "The duration of connections on the server.");

    /// <summary>Connections closed at accept because max-connections was reached (<c>kestrel.rejected_connections</c>).</summary>
    internal static readonly Counter<long> RejectedConnections = Meter.CreateCounter<long>(
        "kestrel.rejected_connections", unit: "{connection}", description: "Number of connections rejected by the server.");

    /// <summary>TLS handshakes under way (<c>kestrel.active_tls_handshakes</c>).</summary>
    internal static readonly UpDownCounter<long> ActiveTlsHandshakes = Meter.CreateUpDownCounter<long>(
        "kestrel.active_tls_handshakes", unit: "{handshake}", description: "Number of TLS handshakes that are currently in progress on the server.");

    /// <summary>
    /// How long TLS handshakes took, in seconds (<c>kestrel.tls_handshake.duration</c>), tagged <c>tls.protocol.version</c>
    /// when one succeeded and <c>error.type</c> when it failed (see <see cref="Tls.TlsHandshake"/>).
    /// </summary>
    internal static readonly Histogram<double> TlsHandshakeDuration = Meter.CreateHistogram<double>(
        "kestrel.tls_handshake.duration", unit: "s", description: "The duration of TLS handshakes on the server.");

    /// <summary>
    /// Answers of handlers that reached no waiting request, dropped rather than written to a later request: a handler
    /// actor's late or doubled answer, or a delegate that finished after <c>request-timeout</c> answered its request 503
    /// (<c>actorhttp.server.dropped_handler_replies</c>; ours: .NET names no such instrument).
    /// </summary>
    internal static readonly Counter<long> DroppedHandlerReplies = Meter.CreateCounter<long>(
        "actorhttp.server.dropped_handler_replies", unit: "{reply}", description: "Number of handler answers that arrived for no waiting request.");

    /// <summary>Tags of a request measurement, as ASP.NET Core sets them.</summary>
    internal static TagList RequestTags(string method, int statusCode, string? route, string protocolVersion, bool https)
    {
        var tags = new TagList
        {
            { "http.request.method", method },
            { "http.response.status_code", statusCode },
            { "network.protocol.name", "http" },
            { "network.protocol.version", protocolVersion },
            { "url.scheme", https ? "https" : "http" },
        };
        if (route is not null) tags.Add("http.route", route);
        return tags;
    }

    /// <summary>The <c>tls.protocol.version</c> tag of a handshake that negotiated <paramref name="protocol"/>.</summary>
    internal static KeyValuePair<string, object?> TlsProtocolTag(System.Security.Authentication.SslProtocols protocol) =>
        new("tls.protocol.version", protocol switch
        {
            System.Security.Authentication.SslProtocols.Tls13 => "1.3",
            System.Security.Authentication.SslProtocols.Tls12 => "1.2",
            _ => protocol.ToString(),
        });
}
