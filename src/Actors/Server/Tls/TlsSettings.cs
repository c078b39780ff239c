using System.Security.Authentication;
using ActorHttp.Configuration;

namespace ActorHttp.Server.Tls;

/// <summary>
/// The server's TLS settings, read once from <c>actorhttp.server.tls</c> (defaults and their reasons are in
/// <c>hocon/server.conf</c>). <see cref="CertificateStore"/> loads the certificates they name.
/// </summary>
/// <remarks>
/// Checked when read, so that a bad file of settings fails at start rather than at the first handshake: the protocols
/// (TLS 1.2 and 1.3 only), the client-certificate mode, the <c>hosts</c> patterns, and a certificate when TLS is enabled.
/// The certificate files themselves are opened by <see cref="CertificateStore.Load"/>, whose errors name the file.
/// </remarks>
public sealed record TlsSettings
{
    /// <summary>Listeners serve HTTPS.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The certificate for clients whose SNI name matches no <see cref="Hosts"/> pattern, or that send none
    /// (its <see cref="CertificateSource.Certificate"/> is empty when TLS is disabled and none was set).</summary>
    public required CertificateSource Default { get; init; }

    /// <summary>Certificates chosen by SNI host name, in the order written (see <see cref="CertificateStore"/> for the precedence).</summary>
    public required IReadOnlyList<SniCertificate> Hosts { get; init; }

    /// <summary>Whether clients are asked for a certificate.</summary>
    public required ClientCertificateMode ClientCertificate { get; init; }

    /// <summary>The TLS versions offered: a combination of <see cref="SslProtocols.Tls12"/> and <see cref="SslProtocols.Tls13"/>, never older.</summary>
    public required SslProtocols Protocols { get; init; }

    /// <summary>Longest time from accept to the end of the handshake; zero = no limit.</summary>
    public required TimeSpan HandshakeTimeout { get; init; }

    /// <summary>Certificate files are checked for changes at each new handshake and reloaded.</summary>
    public required bool Reload { get; init; }

    /// <summary>Reads the settings through <paramref name="r"/> (a reader of <c>actorhttp.server.tls</c>).</summary>
    /// <exception cref="SettingsException">A key is missing or mistyped; a protocol is unknown or older than TLS 1.2; a host
    /// pattern is malformed or repeated, or its block lacks <c>certificate</c> or holds an unknown key; TLS is enabled without a
    /// certificate.</exception>
    public static TlsSettings Read(SettingsReader r)
    {
        var enabled = r.Bool("enabled");
        var source = new CertificateSource(r.String("certificate"), r.String("key"), r.String("password"));
        r.Check(!enabled || source.Certificate.Length > 0, "certificate",
            "TLS is enabled (enabled = on) but no certificate is set: name a PEM certificate chain (with `key`) or a PKCS#12 file");
        var modeName = r.String("client-certificate");
        var mode = modeName.ToLowerInvariant() switch
        {
            "none" => ClientCertificateMode.None,
            "optional" => ClientCertificateMode.Optional,
            "required" => ClientCertificateMode.Required,
            _ => throw r.Bad("client-certificate", $"\"{modeName}\" is not one of none, optional, required"),
        };
        var protocols = ReadProtocols(r);
        var timeout = r.Duration("handshake-timeout");
        r.Check(timeout >= TimeSpan.Zero, "handshake-timeout", "must not be negative; 0 means no limit");
        return new TlsSettings
        {
            Enabled = enabled,
            Default = source,
            Hosts = ReadHosts(r),
            ClientCertificate = mode,
            Protocols = protocols,
            HandshakeTimeout = timeout,
            Reload = r.Bool("reload"),
        };
    }

    /// <summary>Parses one <c>protocols</c> entry: <c>TLS1.2</c> or <c>TLS1.3</c> (also written <c>TLSv1.3</c>, <c>Tls13</c>).</summary>
    /// <exception cref="FormatException">Unknown, or older than TLS 1.2; the message says why.</exception>
    public static SslProtocols ParseProtocol(string name)
    {
        var squeezed = new string(name.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return squeezed switch
        {
            "TLS12" or "TLSV12" => SslProtocols.Tls12,
            "TLS13" or "TLSV13" => SslProtocols.Tls13,
            "SSL2" or "SSLV2" or "SSL3" or "SSLV3" or "TLS1" or "TLSV1" or "TLS10" or "TLSV10" or "TLS11" or "TLSV11" =>
                throw new FormatException($"\"{name}\" is refused: TLS 1.1 and older are deprecated (RFC 8996); use TLS1.2 and TLS1.3"),
            _ => throw new FormatException($"\"{name}\" is not a TLS version; use TLS1.2 and TLS1.3"),
        };
    }

    private static SslProtocols ReadProtocols(SettingsReader r)
    {
        var names = r.StringList("protocols");
        r.Check(names.Count > 0, "protocols", "must name at least one version, e.g. [TLS1.2, TLS1.3]");
        var protocols = SslProtocols.None;
        foreach (var name in names)
        {
            try
            {
                protocols |= ParseProtocol(name);
            }
            catch (FormatException e)
            {
                throw new SettingsException($"{r.Path}.protocols", e.Message, e);
            }
        }
        return protocols;
    }

    private static IReadOnlyList<SniCertificate> ReadHosts(SettingsReader r)
    {
        var hosts = new List<SniCertificate>();
        var section = r.Sub("hosts");
        // The block is read as a whole (it is empty in the reference, where it counts as one key).
        r.Record([section.Path]);
        foreach (var key in section.Keys.ToArray())
        {
            var where = $"{section.Path}.\"{key}\"";
            string pattern;
            try
            {
                pattern = SniHostName.ParsePattern(key);
            }
            catch (FormatException e)
            {
                throw new SettingsException(where, e.Message, e);
            }

            if (hosts.Any(h => h.Pattern == pattern)) throw new SettingsException(where, $"repeats the pattern {pattern}");
            var value = section.Section.Root.GetObject().Items[key];
            if (!value.IsObject()) throw new SettingsException(where, "must be a block: { certificate = FILE, key = FILE, password = \"...\" }");
            var block = section.Section.GetConfig(Quote(key));
            var hr = r.Over(block, where, new HashSet<string>());
            // key and password may be left out of a host block: absent means none (a PKCS#12 or combined PEM file without a password).
            var source = new CertificateSource(hr.String("certificate"), hr.Has("key") ? hr.String("key") : "", hr.Has("password") ? hr.String("password") : "");
            hr.Check(source.Certificate.Length > 0, "certificate", "must name the host's certificate file");
            var unknown = SettingsReader.LeafKeys(block).Where(k => k is not ("certificate" or "key" or "password")).ToArray();
            if (unknown.Length > 0) throw new SettingsException(where, $"unknown key: {string.Join(", ", unknown)} (a host block holds certificate, key and password)");
            hosts.Add(new SniCertificate(pattern, source));
        }
        return hosts;
    }

    private static string Quote(string key) => "\"" + key.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>Value equality, <see cref="Hosts"/> compared entry by entry.</summary>
    public bool Equals(TlsSettings? other) =>
        other is not null && Enabled == other.Enabled && Default == other.Default && Hosts.SequenceEqual(other.Hosts)
        && ClientCertificate == other.ClientCertificate && Protocols == other.Protocols && HandshakeTimeout == other.HandshakeTimeout
        && Reload == other.Reload;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Enabled, Default, Hosts.Count, ClientCertificate, Protocols, HandshakeTimeout, Reload);
}
