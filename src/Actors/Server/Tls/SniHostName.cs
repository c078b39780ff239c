using System.Globalization;
using System.Net;

namespace ActorHttp.Server.Tls;

/// <summary>The host names SNI carries and the patterns that select certificates by them, in one canonical form: ASCII (IDNA A-labels), lower case, no trailing dot.</summary>
internal static class SniHostName
{
    private static readonly IdnMapping s_idn = new();

    /// <summary>The canonical form of a name a client sent (already ASCII on the wire), or null for none or one that is not a DNS name.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        name = name.TrimEnd('.');
        return IsDnsName(name) ? name.ToLowerInvariant() : null;
    }

    /// <summary>Parses a <c>hosts</c> key: an exact host name or <c>*.suffix</c>, Unicode names allowed (they become A-labels).</summary>
    /// <exception cref="FormatException">Not such a pattern; the message says why.</exception>
    public static string ParsePattern(string pattern)
    {
        var wildcard = pattern.StartsWith("*.", StringComparison.Ordinal);
        var name = (wildcard ? pattern[2..] : pattern).TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out _))
            throw new FormatException("an IP address never arrives in SNI (RFC 6066); the default certificate serves clients that connect by address");
        if (name.Contains('*')) throw new FormatException("a wildcard must be the whole first label, as in \"*.example.com\"");
        string ascii;
        try
        {
            ascii = name.Length == 0 ? "" : s_idn.GetAscii(name);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"not a host name: {e.Message}", e);
        }

        if (!IsDnsName(ascii)) throw new FormatException("not a host name (letters, digits, '-' and '.' between non-empty labels)");
        return (wildcard ? "*." : "") + ascii.ToLowerInvariant();
    }

    private static bool IsDnsName(string name)
    {
        if (name.Length is 0 or > 253) return false;
        var label = 0;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (label == 0) return false;
                label = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                if (++label > 63) return false;
            }
            else
            {
                return false;
            }
        }
        return label > 0;
    }
}
