namespace ActorHttp.Client.Proxy;

/// <summary>Where the transport's proxy comes from (the <c>actorhttp.client.proxy</c> setting).</summary>
public enum ProxySource
{
    /// <summary>No proxy: every connection goes straight to its server.</summary>
    None,

    /// <summary>HTTP_PROXY, HTTPS_PROXY and NO_PROXY (or their lower-case forms), read once when the transport starts (Go's ProxyFromEnvironment).</summary>
    Environment,

    /// <summary>One proxy URL for every target the no-proxy list does not exempt.</summary>
    Url,
}
