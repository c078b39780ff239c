using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// The per-field rules for the fields framing and connection management depend on
/// (RFC 9110 §7.2, §7.6.1, §8.6, §10.1.1; RFC 9112 §6.1), applied during the field pass.
/// </summary>
internal static class FieldRules
{
    public static ProtocolError Interpret(KnownHeader known, ReadOnlySpan<byte> value, int index, ref FieldFacts facts)
    {
        switch (known)
        {
            case KnownHeader.Host:
                if (facts.HostCount++ == 0) facts.HostIndex = index;
                // Empty is allowed: the target's authority may be undefined (RFC 9112 §3.2).
                return IsValidAuthority(value, requirePort: false) ? ProtocolError.None : ProtocolError.InvalidHost;
            case KnownHeader.ContentLength:
                return ContentLength(value, ref facts.ContentLength);
            case KnownHeader.TransferEncoding:
                TransferCodings(value, ref facts);
                return ProtocolError.None;
            case KnownHeader.Connection:
                facts.Connection |= ConnectionTokens(value);
                return ProtocolError.None;
            case KnownHeader.Expect:
                Expectations(value, ref facts);
                return ProtocolError.None;
            default:
                return ProtocolError.None;
        }
    }

    /// <summary>
    /// <c>uri-host [ ":" port ]</c> (RFC 3986 §3.2): an IP literal in brackets or a reg-name
    /// (which cannot hold ':' or brackets), then an optional all-digit port. Userinfo is refused
    /// (RFC 9110 §4.2.4 deprecates it in http URIs).
    /// </summary>
    public static bool IsValidAuthority(ReadOnlySpan<byte> authority, bool requirePort)
    {
        if (authority.IndexOfAnyExcept(HttpCharacters.Authority) >= 0) return false;
        ReadOnlySpan<byte> host, rest;
        if (!authority.IsEmpty && authority[0] == (byte)'[')
        {
            int close = authority.IndexOf((byte)']');
            if (close < 0) return false;
            host = authority[..(close + 1)];
            rest = authority[(close + 1)..];
            if (host[1..^1].IndexOfAny((byte)'[', (byte)']') >= 0) return false;
        }
        else
        {
            int colon = authority.IndexOf((byte)':');
            host = colon < 0 ? authority : authority[..colon];
            rest = colon < 0 ? default : authority[colon..];
            if (host.IndexOfAny((byte)'[', (byte)']') >= 0) return false;
        }
        if (rest.IsEmpty) return !requirePort;
        if (rest[0] != (byte)':') return false;
        var port = rest[1..];
        if (port.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return false;
        return !requirePort || (!port.IsEmpty && !host.IsEmpty);
    }

    /// <summary>
    /// Content-Length: one or more comma-separated decimal values, all equal (RFC 9110 §8.6
    /// lets a recipient accept a list of identical values). Empty elements are refused: this is
    /// the field smuggling is made of, so nothing ambiguous passes.
    /// </summary>
    public static ProtocolError ContentLength(ReadOnlySpan<byte> value, ref long agreed)
    {
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            var element = HttpCharacters.TrimWhitespace(comma < 0 ? value : value[..comma]);
            if (element.IsEmpty) return ProtocolError.InvalidContentLength;
            long n = 0;
            foreach (byte b in element)
            {
                if (b is < (byte)'0' or > (byte)'9') return ProtocolError.InvalidContentLength;
                if (n > (long.MaxValue - (b - '0')) / 10) return ProtocolError.ContentLengthOverflow;
                n = n * 10 + (b - '0');
            }
            if (agreed >= 0 && agreed != n) return ProtocolError.ConflictingContentLength;
            agreed = n;
            if (comma < 0) return ProtocolError.None;
            value = value[(comma + 1)..];
        }
    }

    /// <summary>Transfer-Encoding: records the codings in order; the framing decision is made once all lines are seen.</summary>
    private static void TransferCodings(ReadOnlySpan<byte> value, ref FieldFacts facts)
    {
        facts.HasTransferEncoding = true;
        foreach (var element in new ListElements(value))
        {
            // transfer-coding = token *( OWS ";" OWS transfer-parameter ); only the name matters.
            int semicolon = element.IndexOf((byte)';');
            var name = HttpCharacters.TrimWhitespace(semicolon < 0 ? element : element[..semicolon]);
            if (name.IsEmpty || name.IndexOfAnyExcept(HttpCharacters.Token) >= 0)
            {
                facts.TransferEncodingMalformed = true;
                continue;
            }
            facts.CodingCount++;
            // chunked takes no parameters; "chunked;x=y" is not the chunked this decoder implements.
            facts.LastCodingIsChunked = semicolon < 0 && Ascii.EqualsIgnoreCase(name, "chunked"u8);
            if (facts.LastCodingIsChunked) facts.ChunkedCount++;
        }
    }

    /// <summary>Connection: the options the protocol acts on, case-insensitively (RFC 9110 §7.6.1).</summary>
    public static ConnectionOptions ConnectionTokens(ReadOnlySpan<byte> value)
    {
        var options = ConnectionOptions.None;
        foreach (var element in new ListElements(value))
        {
            if (Ascii.EqualsIgnoreCase(element, "close"u8)) options |= ConnectionOptions.Close;
            else if (Ascii.EqualsIgnoreCase(element, "keep-alive"u8)) options |= ConnectionOptions.KeepAlive;
            else if (Ascii.EqualsIgnoreCase(element, "upgrade"u8)) options |= ConnectionOptions.Upgrade;
        }
        return options;
    }

    /// <summary>Expect: only <c>100-continue</c> is defined (RFC 9110 §10.1.1, case-insensitive).</summary>
    private static void Expectations(ReadOnlySpan<byte> value, ref FieldFacts facts)
    {
        foreach (var element in new ListElements(value))
        {
            if (Ascii.EqualsIgnoreCase(element, "100-continue"u8)) facts.ExpectsContinue = true;
            else facts.UnknownExpectation = true;
        }
    }
}
