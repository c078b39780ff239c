namespace ActorHttp.Server.Tls;

/// <summary>Whether the server asks a TLS client for a certificate, and whether it must send one (<c>actorhttp.server.tls.client-certificate</c>; Kestrel's <c>ClientCertificateMode</c>).</summary>
public enum ClientCertificateMode
{
    /// <summary>The server asks for no certificate.</summary>
    None,

    /// <summary>The server asks for one; a client that sends none is served, one that sends a certificate must pass validation.</summary>
    Optional,

    /// <summary>The server asks for one and closes the handshake of a client that sends none or one that fails validation.</summary>
    Required,
}
