namespace ActorHttp.Server.Tls;

/// <summary>
/// A certificate served to clients whose SNI host name matches <see cref="Pattern"/> (a block of
/// <c>actorhttp.server.tls.hosts</c>).
/// </summary>
/// <param name="Pattern">An exact host name (<c>api.example.com</c>) or a wildcard (<c>*.example.com</c>: any name under
/// example.com, at any depth, not example.com itself), lower case, with no trailing dot.</param>
/// <param name="Source">The certificate's files.</param>
public sealed record SniCertificate(string Pattern, CertificateSource Source)
{
    /// <summary>True for a <c>*.suffix</c> pattern.</summary>
    public bool IsWildcard => Pattern.StartsWith("*.", StringComparison.Ordinal);
}
