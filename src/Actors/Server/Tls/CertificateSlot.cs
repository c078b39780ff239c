using System.Net.Security;
using Akka.Event;

namespace ActorHttp.Server.Tls;

/// <summary>
/// One certificate of a <see cref="CertificateStore"/> (the default, or one SNI pattern's) and its reload: each handshake that
/// selects it stats its files, and a change loads them again for the handshakes that follow.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> Handshakes call <see cref="Current"/> from any thread at once. The loaded certificate is an immutable
/// snapshot swapped in one write; one handshake at a time loads (<see cref="Monitor.TryEnter(object)"/>: the others keep serving
/// the snapshot they find rather than wait for file I/O).</para>
/// <para><b>A file changed while it is read</b> (certbot writes the chain, then the key): the stamp is taken before the load,
/// so a load that read newer content than its stamp says is simply loaded again at the next handshake. A load that fails (a
/// key that does not match the half-written chain) keeps the old certificate, and the same stamp is not tried again: the next
/// write changes it.</para>
/// </remarks>
internal sealed class CertificateSlot
{
    private readonly CertificateSource? _source;
    private readonly Func<ServerCertificate, SslServerAuthenticationOptions> _optionsFor;
    private readonly ILoggingAdapter _log;
    private readonly Action<CertificateLoadException> _failed;
    private readonly object _loading = new();
    private volatile Loaded _current;
    private volatile FileStamp[]? _failedStamp; // written under _loading

    /// <summary>Loads <paramref name="source"/> now, and reloads it on change when <paramref name="reload"/>.</summary>
    /// <exception cref="CertificateLoadException">The first load failed.</exception>
    public CertificateSlot(CertificateSource source, bool reload, Func<ServerCertificate, SslServerAuthenticationOptions> optionsFor,
        ILoggingAdapter log, Action<CertificateLoadException> failed)
    {
        _source = reload ? source : null;
        _optionsFor = optionsFor;
        _log = log;
        _failed = failed;
        var stamp = FileStamp.Of(source.Files);
        var certificate = CertificateLoader.Load(source);
        _current = new Loaded(certificate, optionsFor(certificate), stamp);
    }

    /// <summary>Serves <paramref name="certificate"/>, fixed.</summary>
    public CertificateSlot(ServerCertificate certificate, Func<ServerCertificate, SslServerAuthenticationOptions> optionsFor)
    {
        _optionsFor = optionsFor;
        _log = NoLogger.Instance;
        _failed = static _ => { };
        _current = new Loaded(certificate, optionsFor(certificate), []);
    }

    /// <summary>The certificate for a new handshake: the loaded one, or the files' new content when they changed and load.</summary>
    public Loaded Current()
    {
        var current = _current;
        if (_source is null) return current;
        var stamp = FileStamp.Of(_source.Files);
        if (Same(stamp, current.Stamp) || Same(stamp, _failedStamp)) return current;
        if (!Monitor.TryEnter(_loading)) return current;
        try
        {
            current = _current;
            if (Same(stamp, current.Stamp) || Same(stamp, _failedStamp)) return current;
            try
            {
                var certificate = CertificateLoader.Load(_source);
                _current = new Loaded(certificate, _optionsFor(certificate), stamp);
                _failedStamp = null;
                _log.Info("TLS certificate reloaded from {0}: {1}, valid until {2:u}; new handshakes get it", string.Join(" and ", _source.Files),
                    certificate.Leaf.Subject, certificate.Leaf.NotAfter.ToUniversalTime());
            }
            catch (CertificateLoadException e)
            {
                _failedStamp = stamp;
                _failed(e);
                _log.Warning("TLS certificate {0} changed but cannot be loaded ({1}); new handshakes keep the certificate loaded before ({2}, thumbprint {3})",
                    e.Path, e.Reason, current.Certificate.Leaf.Subject, current.Certificate.Leaf.Thumbprint);
            }
            return _current;
        }
        finally
        {
            Monitor.Exit(_loading);
        }
    }

    private static bool Same(FileStamp[] a, FileStamp[]? b) => b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>A loaded certificate, the handshake options made for it, and the stamp of the files it was read from.</summary>
    public sealed record Loaded(ServerCertificate Certificate, SslServerAuthenticationOptions Options, FileStamp[] Stamp);
}
