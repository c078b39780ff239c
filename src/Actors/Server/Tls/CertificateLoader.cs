using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ActorHttp.Server.Tls;

/// <summary>
/// Reads a <see cref="CertificateSource"/>'s files into a <see cref="ServerCertificate"/>: a PEM chain with a PEM key (RSA or
/// ECDSA, encrypted or not), a PEM file holding both, or a PKCS#12 file. Every failure is a
/// <see cref="CertificateLoadException"/> naming the file at fault.
/// </summary>
internal static class CertificateLoader
{
    // X509CertificateLoader's HResult for a PKCS#12 MAC that the password does not verify (ERROR_INVALID_PASSWORD).
    private const int ErrorInvalidPasswordHResult = unchecked((int)0x80070056);
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <summary>Loads <paramref name="source"/>.</summary>
    /// <exception cref="CertificateLoadException">A file is missing, damaged, of the wrong form, locked by another password,
    /// or its key is missing or not the certificate's.</exception>
    public static ServerCertificate Load(CertificateSource source)
    {
        var bytes = ReadAll(source.Certificate);
        if (!IsPem(bytes))
        {
            if (source.Key.Length > 0)
                throw new CertificateLoadException(source.Certificate, CertificateErrorKind.Malformed,
                    "not a PEM certificate chain (with `key` set, `certificate` must be PEM; leave `key` empty for a PKCS#12 file)");
            return LoadPkcs12(source.Certificate, bytes, source.Password);
        }

        var text = Encoding.UTF8.GetString(bytes);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            throw new CertificateLoadException(source.Certificate, CertificateErrorKind.Malformed, $"a CERTIFICATE block is damaged: {e.Message}", e);
        }

        if (chain.Count == 0) throw new CertificateLoadException(source.Certificate, CertificateErrorKind.Malformed, "holds no CERTIFICATE block");
        var keyPath = source.Key.Length > 0 ? source.Key : source.Certificate;
        var keyText = source.Key.Length > 0 ? Encoding.UTF8.GetString(ReadAll(source.Key)) : text;
        var leaf = WithKey(chain[0], keyPath, keyText, source.Password, separateKey: source.Key.Length > 0);
        chain.RemoveAt(0);
        return new ServerCertificate(leaf, chain);
    }

    private static ServerCertificate LoadPkcs12(string path, byte[] bytes, string password)
    {
        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(bytes, password.Length == 0 ? null : password);
        }
        catch (CryptographicException e) when (e.HResult == ErrorInvalidPasswordHResult)
        {
            throw new CertificateLoadException(path, CertificateErrorKind.WrongPassword,
                password.Length == 0 ? "the PKCS#12 file needs a password (set `password`)" : "the password does not open the PKCS#12 file", e);
        }
        catch (CryptographicException e)
        {
            throw new CertificateLoadException(path, CertificateErrorKind.Malformed, $"neither PEM nor a readable PKCS#12 file: {e.Message}", e);
        }

        var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new CertificateLoadException(path, CertificateErrorKind.NoPrivateKey, "the PKCS#12 file holds no certificate with a private key");
        var intermediates = new X509Certificate2Collection();
        foreach (var c in all)
            if (!ReferenceEquals(c, leaf)) intermediates.Add(c);
        return new ServerCertificate(Persisted(leaf), intermediates);
    }

    // The key is imported into the algorithm of the certificate's public key, so that a key of the other kind reads as a
    // mismatch rather than as damage.
    private static X509Certificate2 WithKey(X509Certificate2 certificate, string keyPath, string keyText, string password, bool separateKey)
    {
        var label = KeyLabel(keyText)
            ?? throw new CertificateLoadException(keyPath, CertificateErrorKind.NoPrivateKey,
                separateKey ? "holds no PRIVATE KEY block" : "holds no PRIVATE KEY block (set `key` to the key file, or add the key to this file)");
        var encrypted = label == "ENCRYPTED PRIVATE KEY";
        if (encrypted && password.Length == 0)
            throw new CertificateLoadException(keyPath, CertificateErrorKind.WrongPassword, "the key is encrypted and no `password` is set");

        var algorithm = certificate.GetKeyAlgorithm();
        AsymmetricAlgorithm key = algorithm switch
        {
            RsaOid => RSA.Create(),
            EcOid => ECDsa.Create(),
            _ => throw new CertificateLoadException(keyPath, CertificateErrorKind.UnsupportedKey, $"the certificate's key algorithm ({algorithm}) is neither RSA nor ECDSA"),
        };
        using (key)
        {
            if (!TryImport(key, keyText, password, encrypted, out var error))
            {
                using AsymmetricAlgorithm other = key is RSA ? ECDsa.Create() : RSA.Create();
                if (TryImport(other, keyText, password, encrypted, out _))
                    throw new CertificateLoadException(keyPath, CertificateErrorKind.KeyMismatch,
                        $"the key is {(other is RSA ? "RSA" : "ECDSA")} and the certificate's is {(key is RSA ? "RSA" : "ECDSA")}");
                throw encrypted
                    ? new CertificateLoadException(keyPath, CertificateErrorKind.WrongPassword, "the password does not open the encrypted key", error)
                    : new CertificateLoadException(keyPath, CertificateErrorKind.Malformed, $"the key cannot be read: {error!.Message}", error);
            }

            try
            {
                return Persisted(key is RSA rsa ? certificate.CopyWithPrivateKey(rsa) : certificate.CopyWithPrivateKey((ECDsa)key));
            }
            catch (ArgumentException e)
            {
                throw new CertificateLoadException(keyPath, CertificateErrorKind.KeyMismatch, "the key is not the certificate's", e);
            }
        }
    }

    private static bool TryImport(AsymmetricAlgorithm key, string text, string password, bool encrypted, out Exception? error)
    {
        try
        {
            if (encrypted) key.ImportFromEncryptedPem(text, password);
            else key.ImportFromPem(text);
            error = null;
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            error = e;
            return false;
        }
    }

    // SChannel (Windows) cannot serve TLS with an ephemeral key such as CopyWithPrivateKey's; a round trip through PKCS#12
    // gives it a stored one. OpenSSL (Linux) serves it as it is: the TLS tests run the handshake without this step.
    private static X509Certificate2 Persisted(X509Certificate2 certificate) =>
        OperatingSystem.IsWindows() ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null) : certificate;

    private static string? KeyLabel(string text)
    {
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (label is "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY" or "ENCRYPTED PRIVATE KEY") return label;
            rest = rest[fields.Location.End..];
        }
        return null;
    }

    private static bool IsPem(byte[] bytes) => bytes.AsSpan().IndexOf("-----BEGIN "u8) >= 0;

    private static byte[] ReadAll(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CertificateLoadException(path, CertificateErrorKind.Unreadable, e.Message, e);
        }
    }
}
