using System.Buffers;

namespace ActorHttp.Protocol;

/// <summary>
/// Parses response heads (client role) incrementally from a <see cref="ReadOnlySequence{T}"/>.
/// Same contract as <see cref="RequestHeadParser"/>: need-more-data consumes nothing and the
/// next call passes the same input extended; <see cref="Reset"/> before unrelated input.
/// The framing depends on the method of the request being answered, so it is a parameter.
/// </summary>
public sealed class ResponseHeadParser
{
    private readonly HttpParserLimits _limits;
    private long _lineFeed = -1;
    private long _searchFrom = -1;

    /// <summary>Creates a parser enforcing <paramref name="limits"/>.</summary>
    public ResponseHeadParser(HttpParserLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits.Validate();
    }

    /// <summary>Forgets the search position kept between calls.</summary>
    public void Reset()
    {
        _lineFeed = -1;
        _searchFrom = -1;
    }

    /// <summary>Parses one response head, answering a request made with <paramref name="requestMethod"/>.</summary>
    public HeadParseResult<ResponseHead> Parse(in ReadOnlySequence<byte> input, RequestMethod requestMethod)
    {
        var result = ParseCore(input, requestMethod);
        if (result.Status != ParseStatus.NeedMoreData) Reset();
        return result;
    }

    private HeadParseResult<ResponseHead> ParseCore(in ReadOnlySequence<byte> input, RequestMethod requestMethod)
    {
        long available = input.Length;
        if (available == 0) return HeadParseResult<ResponseHead>.NeedMore;
        long lineLimit = _limits.MaxStatusLineLength;
        long lf = _lineFeed >= 0 ? _lineFeed : HeadScanner.IndexOfLineFeed(input, Math.Max(0, _searchFrom), lineLimit);
        if (lf < 0)
        {
            if (available >= lineLimit) return HeadParseResult<ResponseHead>.Reject(ProtocolError.StatusLineTooLong);
            _searchFrom = available;
            return HeadParseResult<ResponseHead>.NeedMore;
        }
        if (lf == 0 || HeadScanner.ByteAt(input, lf - 1) != (byte)'\r') return HeadParseResult<ResponseHead>.Reject(ProtocolError.BareLineFeed);
        if (_lineFeed < 0)
        {
            _lineFeed = lf;
            _searchFrom = lf - 1;
        }

        long headLimit = lf + 1 + _limits.MaxResponseHeaderBytes;
        long end = HeadScanner.EndOfEmptyLine(input, _searchFrom, headLimit);
        if (end < 0)
        {
            if (available >= headLimit) return HeadParseResult<ResponseHead>.Reject(ProtocolError.ResponseHeaderSectionTooLarge);
            _searchFrom = Math.Max(lf - 1, available - 3);
            return HeadParseResult<ResponseHead>.NeedMore;
        }

        var buffer = HeadScanner.CopyHead(input, 0, end);
        var error = Build(buffer, (int)lf, requestMethod, out var head);
        return error == ProtocolError.None
            ? HeadParseResult<ResponseHead>.Done(head!, end)
            : HeadParseResult<ResponseHead>.Reject(error);
    }

    private ProtocolError Build(byte[] buffer, int lineFeed, RequestMethod requestMethod, out ResponseHead? head)
    {
        head = null;
        var line = buffer.AsSpan(0, lineFeed - 1);

        // status-line = HTTP-version SP status-code SP [ reason-phrase ]. A missing SP after the
        // code is tolerated, as Go and browsers do: old servers send "HTTP/1.1 200\r\n".
        if (line.Length < 12 || line[8] != (byte)' ') return ProtocolError.InvalidStatusLine;
        var version = line[..8];
        if (!version.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)version[7])) return ProtocolError.InvalidStatusLine;
        // RFC 9110 §2.5: a higher minor version is handled as the highest one we implement.
        var parsedVersion = version[7] == (byte)'0' ? HttpProtocolVersion.Http10 : HttpProtocolVersion.Http11;

        var code = line.Slice(9, 3);
        if (code.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || code[0] == (byte)'0') return ProtocolError.InvalidStatusLine;
        int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        int reasonStart = 12, reasonLength = 0;
        if (line.Length > 12)
        {
            if (line[12] != (byte)' ') return ProtocolError.InvalidStatusLine;
            reasonStart = 13;
            reasonLength = line.Length - 13;
            // reason-phrase = *( HTAB / SP / VCHAR / obs-text )
            if (line[13..].IndexOfAny(HttpCharacters.FieldValueStop) >= 0) return ProtocolError.InvalidStatusLine;
        }

        var facts = FieldFacts.Initial;
        var error = FieldSectionParser.Parse(buffer, lineFeed + 1, FieldRole.Response, _limits.HeaderCountFor(FieldRole.Response), out var headers, ref facts);
        if (error != ProtocolError.None) return error;
        error = MessageFraming.ForResponse(parsedVersion, status, requestMethod, facts, out var framing);
        if (error != ProtocolError.None) return error;

        head = new ResponseHead(buffer, parsedVersion, status, reasonStart, reasonLength, headers, framing, facts.Connection);
        return ProtocolError.None;
    }
}
