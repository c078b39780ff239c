namespace ActorHttp.Protocol;

/// <summary>
/// Parses a complete field section held in one buffer (RFC 9112 §5), shared by request heads,
/// response heads and trailers. The caller has already found the empty line that ends the section,
/// so this works on one contiguous span whatever the segmentation of the input was.
/// </summary>
internal static class FieldSectionParser
{
    /// <summary>
    /// Parses field lines from <paramref name="start"/> up to the empty line that ends the section.
    /// The buffer may be modified in place (obs-fold in responses becomes spaces).
    /// </summary>
    public static ProtocolError Parse(byte[] buffer, int start, FieldRole role, int maxCount,
        out HeaderCollection headers, ref FieldFacts facts)
    {
        headers = HeaderCollection.Empty;
        // One exact allocation for the offsets: every field takes at least one line, so the
        // count of LFs (minus the empty line) bounds the field count. The count is vectorised.
        int lines = buffer.AsSpan(start).Count((byte)'\n') - 1;
        var entries = lines > 0 ? new HeaderEntry[Math.Min(lines, maxCount)] : [];
        int count = 0;
        int pos = start;
        bool interpret = role is FieldRole.Request or FieldRole.Response;
        bool foldAllowed = role is FieldRole.Response or FieldRole.ResponseTrailer;

        while (true)
        {
            var line = buffer.AsSpan(pos);
            if (line[0] == (byte)'\r')
            {
                // The section ends with CRLF CRLF, so a CR here is the empty line unless it is bare.
                if (line[1] != (byte)'\n') return ProtocolError.BareCarriageReturn;
                break;
            }

            int nameLength = line.IndexOfAnyExcept(HttpCharacters.Token);
            if (nameLength == 0)
            {
                if (HttpCharacters.IsWhitespace(line[0]))
                    // A continuation line with no field to continue (RFC 9112 §2.2), or obs-fold.
                    return count == 0 ? ProtocolError.WhitespaceAfterStartLine : ProtocolError.ObsoleteLineFolding;
                return line[0] == (byte)'\n' ? ProtocolError.BareLineFeed : ProtocolError.InvalidHeaderName;
            }
            if (line[nameLength] != (byte)':')
            {
                if (HttpCharacters.IsWhitespace(line[nameLength]))
                {
                    int after = nameLength;
                    while (HttpCharacters.IsWhitespace(line[after])) after++;
                    if (line[after] == (byte)':') return ProtocolError.WhitespaceBeforeColon;
                }
                return ProtocolError.InvalidHeaderName;
            }

            // Value: skip leading OWS, scan to the first CTL; CRLF ends it, CRLF+WS is obs-fold.
            int valueStart = nameLength + 1;
            while (HttpCharacters.IsWhitespace(line[valueStart])) valueStart++;
            int scan = valueStart;
            int valueEnd;
            while (true)
            {
                int stop = line[scan..].IndexOfAny(HttpCharacters.FieldValueStop);
                // The section's final CRLF guarantees a stop byte; stop < 0 cannot happen.
                scan += stop;
                byte b = line[scan];
                if (b == (byte)'\r')
                {
                    if (line[scan + 1] != (byte)'\n') return ProtocolError.BareCarriageReturn;
                    if (HttpCharacters.IsWhitespace(line[scan + 2]))
                    {
                        if (!foldAllowed) return ProtocolError.ObsoleteLineFolding;
                        // RFC 9112 §5.2: a user agent may replace each obs-fold with SP octets.
                        buffer[pos + scan] = (byte)' ';
                        buffer[pos + scan + 1] = (byte)' ';
                        scan += 2;
                        continue;
                    }
                    valueEnd = scan;
                    break;
                }
                return b switch
                {
                    (byte)'\n' => ProtocolError.BareLineFeed,
                    0 => ProtocolError.NulInFieldValue,
                    _ => ProtocolError.ControlCharacterInFieldValue,
                };
            }
            while (valueEnd > valueStart && HttpCharacters.IsWhitespace(line[valueEnd - 1])) valueEnd--;

            if (count == maxCount) return ProtocolError.TooManyHeaders;

            var known = KnownHeaders.Identify(line[..nameLength]);
            entries[count] = new HeaderEntry(pos, nameLength, pos + valueStart, valueEnd - valueStart, known);
            if (interpret && known != KnownHeader.None)
            {
                var error = FieldRules.Interpret(known, line[valueStart..valueEnd], count, ref facts);
                if (error != ProtocolError.None) return error;
            }
            count++;
            pos += scan + 2;
        }

        if (count > 0) headers = new HeaderCollection(buffer, entries, count);
        return ProtocolError.None;
    }
}
