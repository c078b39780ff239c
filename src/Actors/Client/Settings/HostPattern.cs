using System.Globalization;

namespace ActorHttp.Client.Settings;

/// <summary>
/// A host pattern of <c>actorhttp.client.hosts</c>: an exact host (<c>api.example.com</c>) or a suffix
/// wildcard (<c>*.example.com</c>), optionally with a port (<c>api.example.com:8443</c>, <c>[::1]:8080</c>).
/// </summary>
/// <remarks>
/// <para><b>Matching.</b> Hosts compare case-insensitively, ignoring a trailing dot. <c>*.example.com</c>
/// matches any host under example.com at any depth (<c>a.example.com</c>, <c>a.b.example.com</c>) but not
/// <c>example.com</c> itself. A pattern without a port matches every port.</para>
/// <para><b>Precedence</b> (<see cref="CompareSpecificity"/>): an exact host beats a wildcard; a longer
/// wildcard suffix beats a shorter one; with the same host part, a pattern with a port beats one without.</para>
/// </remarks>
/// <param name="Host">Lower case, without trailing dot; for a wildcard, the suffix after <c>*.</c>.</param>
/// <param name="IsWildcard">Whether it was written <c>*.suffix</c>.</param>
/// <param name="Port">The port it is limited to; null = any.</param>
public sealed record HostPattern(string Host, bool IsWildcard, int? Port)
{
    /// <summary>Parses a pattern as written in configuration.</summary>
    /// <exception cref="FormatException">Empty host, a <c>*</c> anywhere but a leading <c>*.</c>, or a bad port.</exception>
    public static HostPattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (host, port) = SplitPort(text.Trim(), text);
        var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard) host = host[2..];
        host = Normalize(host);
        if (host.Length == 0 || host.Contains('*'))
            throw new FormatException($"'{text}' is not a host pattern: expected a host, or '*.' and a domain, and an optional ':port'");
        return new HostPattern(host, wildcard, port);
    }

    /// <summary>
    /// Whether a request to <paramref name="host"/>:<paramref name="port"/> falls under this pattern. An IPv6 host
    /// may come with or without brackets (<see cref="Uri.Host"/> has them).
    /// </summary>
    public bool Matches(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (Port is { } p && p != port) return false;
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        host = Normalize(host);
        return IsWildcard
            ? host.Length > Host.Length && host.EndsWith(Host, StringComparison.Ordinal) && host[^(Host.Length + 1)] == '.'
            : host == Host;
    }

    /// <summary>Positive when <paramref name="a"/> is more specific than <paramref name="b"/> (see the remarks).</summary>
    public static int CompareSpecificity(HostPattern a, HostPattern b)
    {
        if (a.IsWildcard != b.IsWildcard) return a.IsWildcard ? -1 : 1;
        var byLength = a.Host.Length.CompareTo(b.Host.Length);
        if (byLength != 0) return byLength;
        return a.Port.HasValue.CompareTo(b.Port.HasValue);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var host = (IsWildcard ? "*." : "") + (Host.Contains(':') ? $"[{Host}]" : Host);
        return Port is { } p ? $"{host}:{p}" : host;
    }

    private static (string Host, int? Port) SplitPort(string text, string original)
    {
        string host;
        string? port = null;
        if (text.StartsWith('['))
        {
            // An IPv6 literal: its colons are not a port separator.
            var close = text.IndexOf(']');
            if (close < 0) throw new FormatException($"'{original}' has an unclosed '['");
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':') throw new FormatException($"'{original}': expected ':port' after ']'");
                port = rest[1..];
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0) port = text[(colon + 1)..];
        }
        if (port is null) return (host, null);
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            throw new FormatException($"'{original}' has a bad port '{port}'");
        return (host, number);
    }

    private static string Normalize(string host) => host.TrimEnd('.').ToLowerInvariant();
}
