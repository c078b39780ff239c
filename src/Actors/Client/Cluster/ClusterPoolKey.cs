using System.Security.Cryptography;
using System.Text;
using ActorHttp.Client.Transport;

namespace ActorHttp.Client.Cluster;

/// <summary>The sharding entity id of a connection key's cluster-wide pool.</summary>
internal static class ClusterPoolKey
{
    /// <summary>
    /// <paramref name="key"/> as text: scheme, host and port, and the proxy's address when there is one. A proxy's credentials
    /// (which make a key of their own: <see cref="Proxy.HttpProxy"/>) appear as the first 8 bytes of their SHA-256 in hex, because an
    /// entity id ends up in actor paths and logs. The pool's node rebuilds the key from the request with its own proxy settings and
    /// checks that it gives this id (see <see cref="ClusterHostPool"/>).
    /// </summary>
    public static string EntityId(ConnectionKey key)
    {
        if (key.Proxy is not { } proxy) return key.ToString();
        var id = $"{key.Scheme}://{key.HostPort} via {proxy.HostPort}";
        return proxy.Authorization is null ? id
            : $"{id} auth {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(proxy.Authorization)).AsSpan(0, 8))}";
    }
}
