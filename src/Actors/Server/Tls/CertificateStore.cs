using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;

namespace ActorHttp.Server.Tls;

/// <summary>
/// The server's certificates: loaded from <see cref="TlsSettings"/>, chosen by the SNI host name of each handshake, reloaded
/// when their files change, and turned into the <see cref="SslServerAuthenticationOptions"/> an <see cref="SslStream"/> is
/// authenticated with.
/// </summary>
/// <remarks>
/// <para><b>Selection.</b> The SNI name, in canonical form (lower case, no trailing dot), is looked up:</para>
/// <list type="number">
/// <item>as an exact <c>hosts</c> pattern;</item>
/// <item>as a wildcard: <c>*.example.com</c> matches any name under example.com, the longest matching suffix winning
/// (<c>*.api.example.com</c> before <c>*.example.com</c>);</item>
/// <item>otherwise, or when the client sent no SNI (a client that connects by IP address sends none), the default
/// certificate.</item>
/// </list>
/// <para>Kestrel's SNI configuration selects the same way. A certificate's own names play no part: the patterns say which
/// certificate serves which names, and a client checks the names.</para>
/// <para><b>Handshake options.</b> ALPN offers <c>http/1.1</c> only (a later <c>h2</c> joins the list here); the versions are
/// <see cref="TlsSettings.Protocols"/>; renegotiation is off (a TLS 1.2 client could use it to make the server redo expensive
/// work); a client certificate is asked for per <see cref="TlsSettings.ClientCertificate"/>, and checked by the validation
/// delegate given to <see cref="Load"/>, by default the system's chain check (<see cref="SslPolicyErrors.None"/>). One options
/// object is made per certificate and reused by every handshake that selects it: do not change it.</para>
/// <para><b>Reload</b> (<see cref="TlsSettings.Reload"/>): see <see cref="CertificateSlot"/>. A handshake under way, and a
/// connection already open, keep the certificate they were given.</para>
/// </remarks>
public sealed class CertificateStore
{
    // ALPN: what the server accepts, in its order of preference. h2 goes first here once the server speaks it.
    private static readonly SslApplicationProtocol[] s_applicationProtocols = [SslApplicationProtocol.Http11];

    private readonly Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? _validateClient;
    private readonly CertificateSlot _default;
    private readonly Dictionary<string, CertificateSlot> _exact = new(StringComparer.Ordinal);
    // Keyed by the suffix with its leading dot (".example.com"), so that a name's suffixes are looked up one label at a time.
    private readonly Dictionary<string, CertificateSlot> _wildcards = new(StringComparer.Ordinal);
    private CertificateLoadException? _lastReloadError;

    private CertificateStore(TlsSettings settings, Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? validateClient,
        Func<CertificateStore, CertificateSlot> makeDefault)
    {
        Settings = settings;
        _validateClient = validateClient;
        SelectionCallback = (_, hello, _, _) => ValueTask.FromResult(OptionsFor(hello.ServerName));
        _default = makeDefault(this);
    }

    /// <summary>The settings the store was made with.</summary>
    public TlsSettings Settings { get; }

    /// <summary>For <see cref="SslStream.AuthenticateAsServerAsync(ServerOptionsSelectionCallback, object?, CancellationToken)"/>:
    /// answers each client hello with <see cref="OptionsFor"/> its SNI name.</summary>
    public ServerOptionsSelectionCallback SelectionCallback { get; }

    /// <summary>The most recent reload that failed (the old certificate was kept), or null.</summary>
    public CertificateLoadException? LastReloadError => Volatile.Read(ref _lastReloadError);

    /// <summary>Loads the certificates <paramref name="settings"/> name (<see cref="TlsSettings.Default"/> and every
    /// <see cref="TlsSettings.Hosts"/> entry), all of them now, so that a bad file fails the start.</summary>
    /// <param name="settings">The TLS settings; <see cref="TlsSettings.Enabled"/> is not looked at.</param>
    /// <param name="validateClient">Decides on a client's certificate (Kestrel's <c>ClientCertificateValidation</c>): the
    /// certificate, the chain the system built, and what the system found wrong. Null: accept when nothing was.</param>
    /// <param name="log">Where reloads are logged (a failed one as a warning); null logs nothing.</param>
    /// <exception cref="CertificateLoadException">A certificate cannot be loaded; the exception names the file.</exception>
    /// <exception cref="ArgumentException">No default certificate is set.</exception>
    public static CertificateStore Load(TlsSettings settings, Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? validateClient = null,
        ILoggingAdapter? log = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Default.Certificate.Length == 0)
            throw new ArgumentException("No default certificate: set actorhttp.server.tls.certificate.", nameof(settings));
        log ??= NoLogger.Instance;
        var store = new CertificateStore(settings, validateClient, s => s.Slot(settings.Default, log));
        foreach (var host in settings.Hosts)
        {
            var slot = store.Slot(host.Source, log);
            if (host.IsWildcard) store._wildcards.Add(host.Pattern[1..], slot);
            else store._exact.Add(host.Pattern, slot);
        }
        return store;
    }

    /// <summary>Serves <paramref name="certificate"/> (which must hold its private key) to every client, with
    /// <paramref name="settings"/>' protocols and client-certificate mode; files, hosts and reload are not used. For a
    /// certificate made in code, such as a <see cref="DevelopmentCertificate"/>.</summary>
    public static CertificateStore ForCertificate(X509Certificate2 certificate, TlsSettings settings,
        Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool>? validateClient = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(settings);
        if (!certificate.HasPrivateKey) throw new ArgumentException("The certificate has no private key.", nameof(certificate));
        var served = new ServerCertificate(certificate, []);
        return new CertificateStore(settings, validateClient, s => new CertificateSlot(served, s.Options));
    }

    /// <summary>The certificate a handshake naming <paramref name="serverName"/> (null: no SNI) gets now.</summary>
    public ServerCertificate Select(string? serverName) => SlotFor(serverName).Current().Certificate;

    /// <summary>The options for a handshake naming <paramref name="serverName"/> (null: no SNI). Shared: do not change them.</summary>
    public SslServerAuthenticationOptions OptionsFor(string? serverName) => SlotFor(serverName).Current().Options;

    private CertificateSlot SlotFor(string? serverName)
    {
        var name = SniHostName.Normalize(serverName);
        if (name is null) return _default;
        if (_exact.TryGetValue(name, out var exact)) return exact;
        if (_wildcards.Count > 0)
        {
            // ".b.example.com", then ".example.com", then ".com": the first found is the longest.
            for (var dot = name.IndexOf('.'); dot >= 0; dot = name.IndexOf('.', dot + 1))
                if (_wildcards.TryGetValue(name[dot..], out var wildcard)) return wildcard;
        }
        return _default;
    }

    private CertificateSlot Slot(CertificateSource source, ILoggingAdapter log) =>
        new(source, Settings.Reload, Options, log, e => Volatile.Write(ref _lastReloadError, e));

    private SslServerAuthenticationOptions Options(ServerCertificate certificate) => new()
    {
        ServerCertificateContext = certificate.Context,
        ApplicationProtocols = [.. s_applicationProtocols],
        EnabledSslProtocols = Settings.Protocols,
        AllowRenegotiation = false,
        ClientCertificateRequired = Settings.ClientCertificate != ClientCertificateMode.None,
        RemoteCertificateValidationCallback = Settings.ClientCertificate == ClientCertificateMode.None ? null : ValidateClient,
        // A client certificate's revocation is for the validation delegate to check: fetching CRLs or OCSP inside a handshake stalls it.
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null) return Settings.ClientCertificate == ClientCertificateMode.Optional;
        if (_validateClient is null) return errors == SslPolicyErrors.None;
        var certificate2 = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return _validateClient(certificate2, chain, errors);
    }
}
