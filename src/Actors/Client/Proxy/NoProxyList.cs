using System.Globalization;
using System.Net;

namespace ActorHttp.Client.Proxy;

/// <summary>
/// The hosts reached directly in spite of a proxy, in the syntax of <c>NO_PROXY</c> as Go reads it
/// (golang.org/x/net/http/httpproxy): comma-separated entries, each one of
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>*</c>: every host (no proxying at all);</item>
/// <item>an IP address, optionally with a port (<c>10.1.2.3</c>, <c>10.1.2.3:8080</c>, <c>[::1]:8080</c>): that address;</item>
/// <item>a CIDR block (<c>10.0.0.0/8</c>, <c>fd00::/8</c>): every address in it, any port;</item>
/// <item>a domain, optionally with a port (<c>example.com</c>, <c>example.com:8443</c>): that host and every host under it;</item>
/// <item>a domain with a leading dot or <c>*.</c> (<c>.example.com</c>, <c>*.example.com</c>): hosts under it only, not the domain itself.</item>
/// </list>
/// <para>Entries compare case-insensitively; domains never match an IP address target and IP entries never match a
/// name (no resolution happens). Entries that cannot be read are ignored, as Go ignores them: the list is often
/// inherited from an environment written for other tools.</para>
/// </remarks>
public sealed class NoProxyList
{
    private readonly bool _all;
    private readonly (IPAddress Address, int? Port)[] _addresses;
    private readonly (IPAddress Network, int PrefixLength)[] _networks;
    private readonly (string Suffix, bool MatchesItself, int? Port)[] _domains;

    private NoProxyList(bool all, (IPAddress, int?)[] addresses, (IPAddress, int)[] networks, (string, bool, int?)[] domains)
    {
        _all = all;
        _addresses = addresses;
        _networks = networks;
        _domains = domains;
    }

    /// <summary>The empty list: nothing bypasses the proxy.</summary>
    public static NoProxyList Empty { get; } = new(false, [], [], []);

    /// <summary>Reads a comma-separated list (a <c>NO_PROXY</c> value).</summary>
    public static NoProxyList Parse(string? list) => Parse((list ?? "").Split(','));

    /// <summary>Reads entries one by one (the <c>no-proxy</c> setting's list).</summary>
    public static NoProxyList Parse(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var addresses = new List<(IPAddress, int?)>();
        var networks = new List<(IPAddress, int)>();
        var domains = new List<(string, bool, int?)>();
        foreach (var raw in entries)
        {
            var entry = raw.Trim().ToLowerInvariant();
            if (entry.Length == 0) continue;
            if (entry == "*") return new NoProxyList(true, [], [], []);
            if (entry.Contains('/'))
            {
                // Go's ParseCIDR: host bits may be set ("10.1.2.3/8" is 10.0.0.0/8).
                var slash = entry.IndexOf('/');
                if (IPAddress.TryParse(entry[..slash], out var network)
                    && int.TryParse(entry[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
                    && prefix <= network.GetAddressBytes().Length * 8)
                    networks.Add((network, prefix));
                continue;
            }
            if (!TrySplitPort(entry, out var host, out var port)) continue;
            if (IPAddress.TryParse(host, out var address) && !host.Contains('%'))
            {
                addresses.Add((address, port));
                continue;
            }
            if (host.Length == 0 || host.Contains(':') || host.Contains('/')) continue;
            if (host.StartsWith("*.", StringComparison.Ordinal)) host = host[1..];
            var matchesItself = host[0] != '.';
            var suffix = matchesItself ? "." + host : host;
            domains.Add((Ascii(suffix), matchesItself, port));
        }
        return addresses.Count + networks.Count + domains.Count == 0
            ? Empty
            : new NoProxyList(false, addresses.ToArray(), networks.ToArray(), domains.ToArray());
    }

    /// <summary>Whether a request to <paramref name="host"/>:<paramref name="port"/> goes direct.</summary>
    /// <param name="host">The target host as in a URI (<see cref="Uri.IdnHost"/>); IPv6 with or without brackets.</param>
    /// <param name="port">The target port (the scheme's default when the URI has none).</param>
    public bool Bypasses(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (_all) return true;
        host = host.Trim().TrimStart('[').TrimEnd(']').ToLowerInvariant();
        if (IPAddress.TryParse(host, out var ip))
        {
            foreach (var (address, p) in _addresses)
                if (address.Equals(ip) && (p is null || p == port)) return true;
            foreach (var (network, prefix) in _networks)
                if (InNetwork(ip, network, prefix)) return true;
            return false;
        }
        foreach (var (suffix, matchesItself, p) in _domains)
        {
            if ((host.EndsWith(suffix, StringComparison.Ordinal) || (matchesItself && host.AsSpan().SequenceEqual(suffix.AsSpan(1))))
                && (p is null || p == port)) return true;
        }
        return false;
    }

    /// <summary>True when nothing is listed.</summary>
    public bool IsEmpty => !_all && _addresses.Length + _networks.Length + _domains.Length == 0;

    private static bool InNetwork(IPAddress ip, IPAddress network, int prefix)
    {
        if (ip.AddressFamily != network.AddressFamily) return false;
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        ip.TryWriteBytes(a, out var length);
        network.TryWriteBytes(b, out _);
        for (int bit = 0; bit < prefix && bit < length * 8; bit += 8)
        {
            var mask = prefix - bit >= 8 ? 0xFF : (byte)(0xFF << (8 - (prefix - bit)));
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
        }
        return true;
    }

    // "host", "host:port", "[v6]:port" or a bare IPv6 literal; false for an entry with a port that is not a number.
    private static bool TrySplitPort(string entry, out string host, out int? port)
    {
        host = entry;
        port = null;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']');
            if (close < 0) return false;
            host = entry[1..close];
            var rest = entry[(close + 1)..];
            if (rest.Length == 0) return true;
            return rest[0] == ':' && TryPort(rest[1..], out port);
        }
        var colon = entry.IndexOf(':');
        if (colon < 0 || entry.IndexOf(':', colon + 1) >= 0) return true; // no port, or a bare IPv6 literal
        host = entry[..colon];
        return TryPort(entry[(colon + 1)..], out port);
    }

    private static bool TryPort(string text, out int? port)
    {
        port = null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 65535) return false;
        port = value;
        return true;
    }

    // Targets are compared in their IDN (punycode) form, as Uri.IdnHost gives them.
    private static string Ascii(string suffix)
    {
        try
        {
            return new IdnMapping().GetAscii(suffix[1..]) is var ascii ? "." + ascii : suffix;
        }
        catch (ArgumentException)
        {
            return suffix;
        }
    }
}
