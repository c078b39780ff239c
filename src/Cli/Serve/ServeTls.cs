using ActorHttp.Server;
using ActorHttp.Server.Tls;

namespace ActorHttp.Cli.Serve;

/// <summary>
/// The TLS options of <c>actorhttp serve</c> (and of <c>bench/Server</c>): <c>--tls-cert FILE --tls-key FILE</c> (PEM),
/// <c>--tls-pfx FILE [--tls-password P]</c> (PKCS#12), or <c>--tls-self-signed [--tls-export FILE]</c> (a
/// <see cref="DevelopmentCertificate"/> made at each start).
/// </summary>
/// <param name="Certificate">--tls-cert: a PEM chain (with the key in it when <paramref name="Key"/> is null).</param>
/// <param name="Key">--tls-key: the PEM private key.</param>
/// <param name="Pfx">--tls-pfx: a PKCS#12 file.</param>
/// <param name="Password">--tls-password: the PKCS#12 file's password, or an encrypted PEM key's.</param>
/// <param name="SelfSigned">--tls-self-signed.</param>
/// <param name="Export">--tls-export: where the development certificate's PEM is written.</param>
internal sealed record ServeTls(string? Certificate, string? Key, string? Pfx, string? Password, bool SelfSigned, string? Export)
{
    /// <summary>True when any TLS option was given.</summary>
    public bool Requested => Certificate is not null || Pfx is not null || SelfSigned;

    /// <summary>Checks that the options go together; null when they do, else what is wrong (a usage error).</summary>
    public string? Check()
    {
        var sources = (Certificate is not null ? 1 : 0) + (Pfx is not null ? 1 : 0) + (SelfSigned ? 1 : 0);
        if (sources > 1) return "give one of --tls-cert, --tls-pfx and --tls-self-signed";
        if (Key is not null && Certificate is null) return "--tls-key needs --tls-cert";
        if (Password is not null && Certificate is null && Pfx is null) return "--tls-password needs --tls-pfx or --tls-cert";
        if (Export is not null && !SelfSigned) return "--tls-export needs --tls-self-signed";
        return null;
    }

    /// <summary>
    /// The certificates to serve, loaded now (a file that cannot be loaded throws <see cref="CertificateLoadException"/>, naming
    /// it); null when no TLS option was given and <c>tls.enabled</c> is off. With files, the settings' other TLS keys
    /// (protocols, client certificates, handshake timeout, reload) apply; <paramref name="say"/> gets the lines to print
    /// (the development certificate's fingerprint).
    /// </summary>
    public CertificateStore? Load(ServerSettings settings, Action<string> say)
    {
        if (SelfSigned)
        {
            var development = DevelopmentCertificate.Create();
            say($"tls: development certificate for localhost, 127.0.0.1 and ::1, valid until {development.Certificate.NotAfter.ToUniversalTime():u}");
            say($"tls: SHA-256 fingerprint {development.FormatFingerprint()}");
            if (Export is not null)
            {
                development.ExportCertificate(Export);
                say($"tls: certificate written to {Export} (curl --cacert {Export})");
            }
            return CertificateStore.ForCertificate(development.Certificate, settings.Tls);
        }

        if (Certificate is not null || Pfx is not null)
        {
            var source = new CertificateSource(Certificate ?? Pfx!, Key ?? "", Password ?? "");
            return CertificateStore.Load(settings.Tls with { Enabled = true, Default = source });
        }

        return settings.Tls.Enabled ? CertificateStore.Load(settings.Tls) : null;
    }
}
