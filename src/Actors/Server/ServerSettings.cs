using ActorHttp.Configuration;
using ActorHttp.Protocol;
using ActorHttp.Server.Tls;
using Akka.Configuration;

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
    /// <summary>Longest time between two checks of the connections' header-read and idle deadlines.</summary>
    public required TimeSpan HeartbeatInterval { get; init; }
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
    /// <summary>Longest a request's handler (delegate or actor) may take before the connection answers 503; zero = none (see <c>request-timeout</c>).</summary>
    public required TimeSpan RequestTimeout { get; init; }
    /// <summary>Graceful shutdown deadline.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }
    /// <summary>The <c>Server</c> header value; empty sends none.</summary>
    public required string ServerHeader { get; init; }
    /// <summary>Log one Debug line per request.</summary>
    public required bool LogRequests { get; init; }
    /// <summary>Publish <see cref="ConnectionStateChanged"/> on the event stream (Go's <c>ConnState</c> hook).</summary>
    public required bool PublishConnectionStates { get; init; }
    /// <summary>Pass <c>OPTIONS *</c> to routing instead of answering it 200 (Go's <c>DisableGeneralOptionsHandler</c>).</summary>
    public required bool DisableGeneralOptionsHandler { get; init; }

    /// <summary>The dispatcher of connection actors, which run handler delegates, when they are not on their event loop (see <c>handler-dispatcher</c>).</summary>
    public required string HandlerDispatcher { get; init; }

    /// <summary>Connection actors, and the handler delegates they run, run on their socket's event loop (see <c>unsafe-prefer-inline-scheduling</c>).</summary>
    public required bool UnsafePreferInlineScheduling { get; init; }

    /// <summary>Connections wait for their sockets on ActorHttp's own epoll loop where it runs (see <c>epoll-event-loop</c>).</summary>
    public required bool EpollEventLoop { get; init; }

    /// <summary>True when connections will use ActorHttp's epoll loop: asked for, and on a platform where it runs.</summary>
    public bool UsesEpollEventLoop => EpollEventLoop && Dispatch.EventLoopDispatchers.IsSupported;
    /// <summary>HTTPS: certificates, protocols, client certificates, handshake timeout, reload (<c>actorhttp.server.tls</c>).</summary>
    public required TlsSettings Tls { get; init; }

    /// <summary>Protocol limits applied to requests.</summary>
    public required HttpParserLimits Parsing { get; init; }

    /// <summary>The configuration section the server's settings are read from.</summary>
    public const string Section = "actorhttp.server";

    /// <summary>Reads the settings from a whole configuration (the reference configuration is assumed to be in it): <c>actorhttp.server</c> and <c>actorhttp.http.parsing</c>.</summary>
    /// <exception cref="SettingsException">A key is missing, mistyped or out of range.</exception>
    public static ServerSettings FromConfig(Config config) => Read(new SettingsReader(config, Section), new SettingsReader(config, HttpParserLimitsSettings.Section));

    /// <summary>Reads the settings through <paramref name="c"/> (a reader of <see cref="Section"/>) and <paramref name="parsing"/> (of the protocol limits).</summary>
    public static ServerSettings Read(SettingsReader c, SettingsReader parsing) =>
        new()
        {
            DefaultBindAddress = c.String("default-bind-address"),
            DefaultPort = c.Int("default-port"),
            ListenBacklog = c.Int("listen-backlog"),
            MaxConnections = c.Int("max-connections"),
            HeaderReadTimeout = c.Duration("header-read-timeout"),
            IdleTimeout = c.Duration("idle-timeout"),
            HeartbeatInterval = c.Duration("heartbeat-interval"),
            MaxPipelinedRequests = c.Int("max-pipelined-requests"),
            ReceiveBufferSize = c.IntBytes("receive-buffer-size"),
            RequestBodyMaxSize = c.Bytes("request-body.max-size"),
            RequestBodyMinDataRate = c.Bytes("request-body.min-data-rate"),
            RequestBodyMinDataRateGracePeriod = c.Duration("request-body.min-data-rate-grace-period"),
            RequestBodyBufferSize = c.Bytes("request-body.buffer-size"),
            RequestBodyMaxDrain = c.Bytes("request-body.max-drain"),
            ResponseBufferSize = c.IntBytes("response.buffer-size"),
            RequestTimeout = c.Duration("request-timeout"),
            ShutdownTimeout = c.Duration("shutdown-timeout"),
            ServerHeader = c.String("server-header"),
            LogRequests = c.Bool("log-requests"),
            PublishConnectionStates = c.Bool("publish-connection-states"),
            DisableGeneralOptionsHandler = c.Bool("disable-general-options-handler"),
            HandlerDispatcher = c.String("handler-dispatcher"),
            UnsafePreferInlineScheduling = c.Bool("unsafe-prefer-inline-scheduling"),
            EpollEventLoop = c.Bool("epoll-event-loop"),
            Tls = TlsSettings.Read(c.Sub("tls")),
            Parsing = HttpParserLimitsSettings.Read(parsing),
        };

    /// <summary>The reference settings (every default from <c>hocon/</c>), optionally overridden.</summary>
    public static ServerSettings Load(Config? overrides = null) => FromConfig(ReferenceConfig.Load(overrides));
}
