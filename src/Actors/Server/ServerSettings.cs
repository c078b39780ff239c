using ActorHttp.Hocon;
using ActorHttp.Protocol;

namespace ActorHttp.Server;

/// <summary>
/// The server's settings, read once from <c>actorhttp.server</c> (defaults and their reasons are in
/// <c>hocon/server.conf</c>) and <c>actorhttp.http.parsing</c> (the protocol limits). Immutable; override
/// with <c>with { ... }</c> or by passing configuration.
/// </summary>
public sealed record ServerSettings
{
    /// <summary>Address bound when the caller names none.</summary>
    public required string DefaultBindAddress { get; init; }
    /// <summary>Port bound when the caller names none.</summary>
    public required int DefaultPort { get; init; }
    /// <summary>listen(2) backlog.</summary>
    public required int ListenBacklog { get; init; }
    /// <summary>Most open connections; 0 = unlimited.</summary>
    public required int MaxConnections { get; init; }
    /// <summary>Time allowed to receive a request head; 408 after it.</summary>
    public required TimeSpan HeaderReadTimeout { get; init; }
    /// <summary>Keep-alive idle time before the server closes; zero = never.</summary>
    public required TimeSpan IdleTimeout { get; init; }
    /// <summary>Parsed requests that may wait behind the one being handled.</summary>
    public required int MaxPipelinedRequests { get; init; }
    /// <summary>Bytes rented for one socket read.</summary>
    public required int ReceiveBufferSize { get; init; }
    /// <summary>Largest request body; 0 = unlimited.</summary>
    public required long RequestBodyMaxSize { get; init; }
    /// <summary>Slowest body upload tolerated, bytes per second; 0 = no minimum.</summary>
    public required long RequestBodyMinDataRate { get; init; }
    /// <summary>Time before the minimum data rate applies.</summary>
    public required TimeSpan RequestBodyMinDataRateGracePeriod { get; init; }
    /// <summary>Body bytes buffered ahead of the handler.</summary>
    public required long RequestBodyBufferSize { get; init; }
    /// <summary>Unread body bytes discarded to keep a connection; 0 = unlimited.</summary>
    public required long RequestBodyMaxDrain { get; init; }
    /// <summary>Response bytes buffered before the head is sent.</summary>
    public required int ResponseBufferSize { get; init; }
    /// <summary>Graceful shutdown deadline.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }
    /// <summary>The <c>Server</c> header value; empty sends none.</summary>
    public required string ServerHeader { get; init; }
    /// <summary>Log one Debug line per request.</summary>
    public required bool LogRequests { get; init; }
    /// <summary>Pass <c>OPTIONS *</c> to routing instead of answering it 200 (Go's <c>DisableGeneralOptionsHandler</c>).</summary>
    public required bool DisableGeneralOptionsHandler { get; init; }

    /// <summary>Handlers may run on the thread that completed a socket operation (see <c>unsafe-prefer-inline-scheduling</c>).</summary>
    public required bool UnsafePreferInlineScheduling { get; init; }

    /// <summary>Connections wait for their sockets on ActorHttp's own epoll loop where it runs (see <c>epoll-event-loop</c>).</summary>
    public required bool EpollEventLoop { get; init; }

    /// <summary>True when connections will use ActorHttp's epoll loop: asked for, and on a platform where it runs.</summary>
    public bool UsesEpollEventLoop => EpollEventLoop && Net.Epoll.EpollLoop.IsSupported;
    /// <summary>Protocol limits applied to requests.</summary>
    public required HttpParserLimits Parsing { get; init; }

    /// <summary>Reads the settings from a configuration holding <c>actorhttp.server</c> and <c>actorhttp.http.parsing</c>.</summary>
    public static ServerSettings FromConfig(Config config)
    {
        var c = config.GetConfig("actorhttp.server");
        return new ServerSettings
        {
            DefaultBindAddress = c.GetString("default-bind-address"),
            DefaultPort = c.GetInt("default-port"),
            ListenBacklog = c.GetInt("listen-backlog"),
            MaxConnections = c.GetInt("max-connections"),
            HeaderReadTimeout = c.GetTimeSpan("header-read-timeout", allowInfinite: false),
            IdleTimeout = c.GetTimeSpan("idle-timeout", allowInfinite: false),
            MaxPipelinedRequests = c.GetInt("max-pipelined-requests"),
            ReceiveBufferSize = checked((int)c.GetByteSize("receive-buffer-size")),
            RequestBodyMaxSize = c.GetByteSize("request-body.max-size"),
            RequestBodyMinDataRate = c.GetByteSize("request-body.min-data-rate"),
            RequestBodyMinDataRateGracePeriod = c.GetTimeSpan("request-body.min-data-rate-grace-period", allowInfinite: false),
            RequestBodyBufferSize = c.GetByteSize("request-body.buffer-size"),
            RequestBodyMaxDrain = c.GetByteSize("request-body.max-drain"),
            ResponseBufferSize = checked((int)c.GetByteSize("response.buffer-size")),
            ShutdownTimeout = c.GetTimeSpan("shutdown-timeout", allowInfinite: false),
            ServerHeader = c.GetString("server-header"),
            LogRequests = c.GetBoolean("log-requests"),
            DisableGeneralOptionsHandler = c.GetBoolean("disable-general-options-handler"),
            UnsafePreferInlineScheduling = c.GetBoolean("unsafe-prefer-inline-scheduling"),
            EpollEventLoop = c.GetBoolean("epoll-event-loop"),
            Parsing = HttpParserLimits.FromConfig(config),
        };
    }

    /// <summary>The reference settings (every default from <c>hocon/</c>), optionally overridden.</summary>
    public static ServerSettings Load(Config? overrides = null) =>
        FromConfig(ConfigurationFactory.Load(overrides, typeof(ServerSettings).Assembly, typeof(HttpParserLimits).Assembly));
}
