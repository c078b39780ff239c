using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorHttp.Client;

/// <summary>
/// The client's instruments on the meter <c>ActorHttp.Client</c>, with the names, units and tags
/// .NET's own HttpClient uses (System.Net.Http meter), so dashboards built for one read the
/// other. The transport's actors call the methods as connections and requests change state;
/// each call is a few counter updates, safe from any thread.
/// </summary>
/// <remarks>
/// Instruments: <c>http.client.open_connections</c> (connections, by <c>http.connection.state</c>
/// idle/active), <c>http.client.connection.duration</c> (s, recorded at close),
/// <c>http.client.request.duration</c> (s, per exchange: each redirect hop counts),
/// <c>http.client.request.time_in_queue</c> (s, waiting for a connection) and
/// <c>http.client.active_requests</c>.
/// </remarks>
public sealed class ClientMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ActorHttp.Client";

    private const string ProtocolVersion = "1.1";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly UpDownCounter<long> _openConnections;
    private readonly Histogram<double> _connectionDuration;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _timeInQueue;
    private readonly UpDownCounter<long> _activeRequests;

    /// <summary>Instruments on a meter from <paramref name="meterFactory"/>, or on a meter of their own when null.</summary>
    public ClientMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _openConnections = _meter.CreateUpDownCounter<long>("http.client.open_connections", "{connection}",
            "Number of outbound HTTP connections that are currently active or idle on the client.");
        _connectionDuration = _meter.CreateHistogram<double>("http.client.connection.duration", "s",
            "The duration of successfully established outbound HTTP connections.");
        _requestDuration = _meter.CreateHistogram<double>("http.client.request.duration", "s",
            "Duration of HTTP client requests.");
        _timeInQueue = _meter.CreateHistogram<double>("http.client.request.time_in_queue", "s",
            "The amount of time requests spent on a queue waiting for an available connection.");
        _activeRequests = _meter.CreateUpDownCounter<long>("http.client.active_requests", "{request}",
            "Number of outbound HTTP requests that are currently active on the client.");
    }

    /// <summary>A connection was established; it starts active (dialed for a request) or idle.</summary>
    public void ConnectionOpened(ClientEndpoint endpoint, bool active) =>
        _openConnections.Add(1, ConnectionTags(endpoint, active));

    /// <summary>A connection went from active to idle (true) or from idle to active (false).</summary>
    public void ConnectionStateChanged(ClientEndpoint endpoint, bool nowIdle)
    {
        _openConnections.Add(-1, ConnectionTags(endpoint, active: nowIdle));
        _openConnections.Add(1, ConnectionTags(endpoint, active: !nowIdle));
    }

    /// <summary>A connection closed in the given state after living <paramref name="lifetime"/>.</summary>
    public void ConnectionClosed(ClientEndpoint endpoint, bool wasActive, TimeSpan lifetime)
    {
        _openConnections.Add(-1, ConnectionTags(endpoint, wasActive));
        _connectionDuration.Record(lifetime.TotalSeconds, EndpointTags(endpoint));
    }

    /// <summary>An exchange started.</summary>
    public void RequestStarted(string method, ClientEndpoint endpoint) =>
        _activeRequests.Add(1, RequestTags(method, endpoint, includeVersion: false));

    /// <summary>A request got its connection after waiting <paramref name="timeInQueue"/>.</summary>
    public void RequestDequeued(string method, ClientEndpoint endpoint, TimeSpan timeInQueue) =>
        _timeInQueue.Record(timeInQueue.TotalSeconds, RequestTags(method, endpoint, includeVersion: true));

    /// <summary>An exchange ended: with a status, or with an error (then <paramref name="statusCode"/> is null).</summary>
    public void RequestStopped(string method, ClientEndpoint endpoint, int? statusCode, ClientErrorKind? error, TimeSpan duration)
    {
        _activeRequests.Add(-1, RequestTags(method, endpoint, includeVersion: false));
        var tags = RequestTags(method, endpoint, includeVersion: true);
        if (statusCode is { } status) tags.Add("http.response.status_code", status);
        if (error is { } kind) tags.Add("error.type", ErrorType(kind));
        _requestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Disposes the meter when this object created it.</summary>
    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }

    /// <summary>The <c>http.request.method</c> tag: known methods as is, anything else "_OTHER" (bounded cardinality).</summary>
    public static string MethodTag(string method) => method switch
    {
        "GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "CONNECT" or "OPTIONS" or "TRACE" or "PATCH" => method,
        _ => "_OTHER",
    };

    /// <summary>The <c>error.type</c> tag of a kind, in the snake_case .NET uses ("connection_reset").</summary>
    public static string ErrorType(ClientErrorKind kind)
    {
        var name = kind.ToString();
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static TagList EndpointTags(ClientEndpoint endpoint) => new()
    {
        { "server.address", endpoint.Host },
        { "server.port", endpoint.Port },
        { "url.scheme", endpoint.Scheme },
        { "network.protocol.version", ProtocolVersion },
    };

    private static TagList ConnectionTags(ClientEndpoint endpoint, bool active)
    {
        var tags = EndpointTags(endpoint);
        tags.Add("http.connection.state", active ? "active" : "idle");
        return tags;
    }

    private static TagList RequestTags(string method, ClientEndpoint endpoint, bool includeVersion)
    {
        var tags = new TagList
        {
            { "http.request.method", MethodTag(method) },
            { "server.address", endpoint.Host },
            { "server.port", endpoint.Port },
            { "url.scheme", endpoint.Scheme },
        };
        if (includeVersion) tags.Add("network.protocol.version", ProtocolVersion);
        return tags;
    }
}
