using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// Recognition of <see cref="KnownHeader"/> names from bytes, and their canonical spellings.
/// </summary>
internal static class KnownHeaders
{
    /// <summary>Which known field <paramref name="name"/> is; dispatches on length so most names cost one compare.</summary>
    public static KnownHeader Identify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when Ascii.EqualsIgnoreCase(name, "TE"u8) => KnownHeader.TE,
        4 when Ascii.EqualsIgnoreCase(name, "Host"u8) => KnownHeader.Host,
        6 when Ascii.EqualsIgnoreCase(name, "Expect"u8) => KnownHeader.Expect,
        7 when Ascii.EqualsIgnoreCase(name, "Upgrade"u8) => KnownHeader.Upgrade,
        7 when Ascii.EqualsIgnoreCase(name, "Trailer"u8) => KnownHeader.Trailer,
        10 when Ascii.EqualsIgnoreCase(name, "Connection"u8) => KnownHeader.Connection,
        14 when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => KnownHeader.ContentLength,
        17 when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => KnownHeader.TransferEncoding,
        _ => KnownHeader.None,
    };

    /// <summary>
    /// An interned string for common names received in their usual spelling, so materialising
    /// the names of a typical browser request allocates nothing; null for other names.
    /// </summary>
    public static string? CanonicalName(ReadOnlySpan<byte> name)
    {
        foreach (var candidate in Common)
            if (candidate.Length == name.Length && Ascii.Equals(name, candidate))
                return candidate;
        return null;
    }

    private static readonly string[] Common =
    [
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "Trailer", "TE",
        "Accept", "Accept-Encoding", "Accept-Language", "User-Agent", "Cookie", "Referer", "Content-Type",
        "Cache-Control", "Date", "Server", "Set-Cookie", "Location", "Authorization", "Origin",
        "host", "content-length", "transfer-encoding", "connection", "accept", "accept-encoding",
        "accept-language", "user-agent", "cookie", "referer", "content-type", "cache-control", "date",
    ];
}
