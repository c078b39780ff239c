namespace ActorHttp.Server.Tls;

/// <summary>
/// Where one server certificate comes from: the files named in <c>actorhttp.server.tls</c> (the default certificate) or in one
/// of its <c>hosts</c> blocks.
/// </summary>
/// <remarks>
/// <para><b>Forms.</b> With <see cref="Key"/> set, <see cref="Certificate"/> is a PEM file holding the leaf certificate first and
/// then its intermediates, and <see cref="Key"/> a PEM private key (RSA or ECDSA; PKCS#1, SEC1 or PKCS#8, encrypted PKCS#8 when
/// <see cref="Password"/> is set). With <see cref="Key"/> empty, <see cref="Certificate"/> holds the key too: a PKCS#12 file
/// (<c>.pfx</c>/<c>.p12</c>, opened with <see cref="Password"/>) or a PEM file with both the chain and the key. Which of the two
/// is told by the content (PEM is text with <c>-----BEGIN</c> lines), not by the file name.</para>
/// <para>Relative paths are relative to the process's working directory. <see cref="ToString"/> never prints the password.</para>
/// </remarks>
/// <param name="Certificate">The certificate file (PEM chain, or PKCS#12).</param>
/// <param name="Key">The PEM private key file; empty when <paramref name="Certificate"/> holds the key.</param>
/// <param name="Password">The PKCS#12 password, or the password of an encrypted PEM key; empty for none.</param>
public sealed record CertificateSource(string Certificate, string Key, string Password)
{
    /// <summary>The files to watch for a reload: the certificate, and the key when it is a file of its own.</summary>
    public IEnumerable<string> Files => Key.Length == 0 ? [Certificate] : [Certificate, Key];

    // A password in a log line or an exception message would leak it.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Certificate = {Certificate}, Key = {Key}, Password = {(Password.Length == 0 ? "(none)" : "***")}");
        return true;
    }
}
