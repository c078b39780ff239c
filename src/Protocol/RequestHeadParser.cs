using System.Buffers;
using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// Parses request heads (server role) incrementally from a <see cref="ReadOnlySequence{T}"/>.
/// <para>
/// Contract: call <see cref="Parse"/> with the unconsumed input; on
/// <see cref="ParseStatus.NeedMoreData"/> nothing is consumed and the next call must pass the
/// same input with more bytes appended (a <c>PipeReader</c> buffer after
/// <c>AdvanceTo(buffer.Start, buffer.End)</c>). The parser remembers how far it has searched so
/// a head that arrives a byte at a time costs linear, not quadratic, work; call
/// <see cref="Reset"/> before passing unrelated input. After <see cref="ParseStatus.Complete"/>,
/// advance by <see cref="HeadParseResult{THead}.BytesConsumed"/>; after
/// <see cref="ParseStatus.Rejected"/>, answer with the reason's status and close.
/// </para>
/// <para>
/// Once the whole head is present it is copied once into an array the <see cref="RequestHead"/>
/// owns (it must outlive the pipe's buffers) and the grammar is walked over that contiguous copy.
/// Limits are applied before the copy, so at most the configured bytes are ever scanned.
/// </para>
/// </summary>
public sealed class RequestHeadParser
{
    private readonly HttpParserLimits _limits;
    // Search state kept across NeedMoreData calls on the same input; reset on completion.
    private long _lineFeed = -1;
    private long _searchFrom = -1;

    /// <summary>Creates a parser enforcing <paramref name="limits"/>.</summary>
    public RequestHeadParser(HttpParserLimits limits)
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

    /// <summary>Parses one request head from the start of <paramref name="input"/>.</summary>
    public HeadParseResult<RequestHead> Parse(in ReadOnlySequence<byte> input)
    {
        var result = ParseCore(input);
        if (result.Status != ParseStatus.NeedMoreData) Reset();
        return result;
    }

    private HeadParseResult<RequestHead> ParseCore(in ReadOnlySequence<byte> input)
    {
        // RFC 9112 §2.2: a server SHOULD ignore empty lines before the request line. They count
        // against the request-line limit so a stream of CRLFs cannot hold the connection forever.
        long skip = 0;
        long available = input.Length;
        while (skip < available && HeadScanner.ByteAt(input, skip) == (byte)'\r')
        {
            if (skip + 1 >= available) return HeadParseResult<RequestHead>.NeedMore;
            if (HeadScanner.ByteAt(input, skip + 1) != (byte)'\n') return HeadParseResult<RequestHead>.Reject(ProtocolError.BareCarriageReturn);
            skip += 2;
        }
        if (skip >= _limits.MaxRequestLineLength) return HeadParseResult<RequestHead>.Reject(ProtocolError.RequestLineTooLong);
        if (skip >= available) return HeadParseResult<RequestHead>.NeedMore;

        long lineLimit = _limits.MaxRequestLineLength;
        long lf = _lineFeed >= 0 ? _lineFeed : HeadScanner.IndexOfLineFeed(input, Math.Max(skip, _searchFrom), lineLimit);
        if (lf < 0)
        {
            if (available >= lineLimit) return HeadParseResult<RequestHead>.Reject(ProtocolError.RequestLineTooLong);
            _searchFrom = available;
            return HeadParseResult<RequestHead>.NeedMore;
        }
        // A request line ended by a bare LF is refused now rather than after waiting for a head that never ends.
        if (lf == skip || HeadScanner.ByteAt(input, lf - 1) != (byte)'\r') return HeadParseResult<RequestHead>.Reject(ProtocolError.BareLineFeed);
        if (_lineFeed < 0)
        {
            _lineFeed = lf;
            _searchFrom = lf - 1;
        }

        // The header section runs from after the request line to the end of the empty line.
        long headLimit = lf + 1 + _limits.MaxHeaderBytes;
        long end = HeadScanner.EndOfEmptyLine(input, _searchFrom, headLimit);
        if (end < 0)
        {
            if (available >= headLimit) return HeadParseResult<RequestHead>.Reject(ProtocolError.HeaderSectionTooLarge);
            // The next search re-examines the last 3 bytes: a CRLF CRLF may straddle the boundary.
            _searchFrom = Math.Max(lf - 1, available - 3);
            return HeadParseResult<RequestHead>.NeedMore;
        }

        var buffer = HeadScanner.CopyHead(input, skip, end - skip);
        var error = Build(buffer, (int)(lf - skip), out var head);
        return error == ProtocolError.None
            ? HeadParseResult<RequestHead>.Done(head!, end)
            : HeadParseResult<RequestHead>.Reject(error);
    }

    /// <summary>Walks the contiguous head: request line up to <paramref name="lineFeed"/>, then fields.</summary>
    private ProtocolError Build(byte[] buffer, int lineFeed, out RequestHead? head)
    {
        head = null;
        var line = buffer.AsSpan(0, lineFeed - 1);

        // method SP
        int methodLength = line.IndexOfAnyExcept(HttpCharacters.Token);
        if (methodLength <= 0) return methodLength < 0 ? ProtocolError.InvalidRequestLine : ProtocolError.InvalidMethod;
        // A method ends at SP: HTAB there is a malformed line, any other byte a malformed method.
        if (line[methodLength] != (byte)' ')
            return line[methodLength] == (byte)'\t' ? ProtocolError.InvalidRequestLine : ProtocolError.InvalidMethod;

        // request-target SP HTTP-version
        int targetStart = methodLength + 1;
        int targetLength = line[targetStart..].IndexOf((byte)' ');
        if (targetLength <= 0) return ProtocolError.InvalidRequestLine;
        var versionError = ParseVersion(line[(targetStart + targetLength + 1)..], out var version);
        if (versionError != ProtocolError.None) return versionError;
        var target = line.Slice(targetStart, targetLength);
        if (target.IndexOfAnyExcept(HttpCharacters.Target) >= 0) return ProtocolError.InvalidRequestTarget;

        var methodKind = IdentifyMethod(line[..methodLength]);
        var targetError = ParseTarget(target, targetStart, methodKind, out var form, out int pathStart, out int pathLength,
            out int queryStart, out int queryLength, out int authorityStart, out int authorityLength);
        if (targetError != ProtocolError.None) return targetError;

        var facts = FieldFacts.Initial;
        var error = FieldSectionParser.Parse(buffer, lineFeed + 1, FieldRole.Request, _limits.MaxHeaderCount, out var headers, ref facts);
        if (error != ProtocolError.None) return error;

        // RFC 9112 §3.2: exactly one Host in HTTP/1.1, never more than one.
        if (facts.HostCount > 1) return ProtocolError.DuplicateHost;
        if (facts.HostCount == 0 && version == HttpProtocolVersion.Http11) return ProtocolError.MissingHost;

        error = MessageFraming.ForRequest(version, facts, out var framing);
        if (error != ProtocolError.None) return error;
        if (facts.UnknownExpectation) return ProtocolError.ExpectationFailed;

        head = new RequestHead(buffer, MethodName(methodKind, line[..methodLength]), methodKind, version, form,
            targetStart, targetLength, pathStart, pathLength, queryStart, queryLength, authorityStart, authorityLength,
            headers, framing, facts.Connection, facts.ExpectsContinue && version == HttpProtocolVersion.Http11, facts.HostIndex);
        return ProtocolError.None;
    }

    /// <summary>
    /// HTTP-version = "HTTP/" DIGIT "." DIGIT. A major version other than 1 is 505. A minor version above 1
    /// (HTTP/1.2 to HTTP/1.9) is processed as HTTP/1.1, the highest minor version implemented, as RFC 9110
    /// §2.5 asks and Go does.
    /// </summary>
    internal static ProtocolError ParseVersion(ReadOnlySpan<byte> text, out HttpProtocolVersion version)
    {
        version = HttpProtocolVersion.Http11;
        if (text.Length != 8 || !text.StartsWith("HTTP/"u8) || !char.IsAsciiDigit((char)text[5]) ||
            text[6] != (byte)'.' || !char.IsAsciiDigit((char)text[7]))
            return ProtocolError.InvalidVersion;
        if (text[5] != (byte)'1') return ProtocolError.UnsupportedVersion;
        version = text[7] == (byte)'0' ? HttpProtocolVersion.Http10 : HttpProtocolVersion.Http11;
        return ProtocolError.None;
    }

    private static ProtocolError ParseTarget(ReadOnlySpan<byte> target, int offset, RequestMethod method,
        out RequestTargetForm form, out int pathStart, out int pathLength, out int queryStart, out int queryLength,
        out int authorityStart, out int authorityLength)
    {
        pathStart = offset;
        pathLength = 0;
        queryStart = -1;
        queryLength = 0;
        authorityStart = 0;
        authorityLength = 0;

        if (method == RequestMethod.Connect)
        {
            // authority-form = uri-host ":" port (RFC 9112 §3.2.3); CONNECT takes nothing else.
            form = RequestTargetForm.Authority;
            if (target[0] == (byte)'/') return ProtocolError.RequestTargetFormMismatch;
            if (!FieldRules.IsValidAuthority(target, requirePort: true)) return ProtocolError.InvalidRequestTarget;
            authorityStart = offset;
            authorityLength = target.Length;
            return ProtocolError.None;
        }

        if (target[0] == (byte)'/')
        {
            form = RequestTargetForm.Origin;
            SplitPathQuery(target, offset, out pathStart, out pathLength, out queryStart, out queryLength);
            return ProtocolError.None;
        }

        if (target.Length == 1 && target[0] == (byte)'*')
        {
            // asterisk-form is for OPTIONS only (RFC 9112 §3.2.4).
            form = RequestTargetForm.Asterisk;
            pathLength = 1;
            return method == RequestMethod.Options ? ProtocolError.None : ProtocolError.RequestTargetFormMismatch;
        }

        // absolute-form: scheme "://" authority path-abempty [ "?" query ]. The authority
        // must be there: it is what replaces Host (RFC 9112 §3.2.2).
        form = RequestTargetForm.Absolute;
        if (!char.IsAsciiLetter((char)target[0])) return ProtocolError.InvalidRequestTarget;
        int schemeLength = target.IndexOfAnyExcept(HttpCharacters.SchemeTail);
        if (schemeLength <= 0 || !target[schemeLength..].StartsWith("://"u8)) return ProtocolError.InvalidRequestTarget;
        int authorityOffset = schemeLength + 3;
        var rest = target[authorityOffset..];
        int authorityEnd = rest.IndexOfAny((byte)'/', (byte)'?');
        if (authorityEnd < 0) authorityEnd = rest.Length;
        var authority = rest[..authorityEnd];
        // http(s) URIs need a non-empty host (RFC 9110 §4.2.1).
        if (authority.IsEmpty || authority[0] == (byte)':' || !FieldRules.IsValidAuthority(authority, requirePort: false))
            return ProtocolError.InvalidRequestTarget;
        authorityStart = offset + authorityOffset;
        authorityLength = authorityEnd;
        SplitPathQuery(rest[authorityEnd..], authorityStart + authorityEnd, out pathStart, out pathLength, out queryStart, out queryLength);
        return ProtocolError.None;
    }

    private static void SplitPathQuery(ReadOnlySpan<byte> pathAndQuery, int offset,
        out int pathStart, out int pathLength, out int queryStart, out int queryLength)
    {
        pathStart = offset;
        int question = pathAndQuery.IndexOf((byte)'?');
        if (question < 0)
        {
            pathLength = pathAndQuery.Length;
            queryStart = -1;
            queryLength = 0;
            return;
        }
        pathLength = question;
        queryStart = offset + question + 1;
        queryLength = pathAndQuery.Length - question - 1;
    }

    /// <summary>Methods are case-sensitive (RFC 9110 §9.1): only the exact upper-case spelling is recognised.</summary>
    internal static RequestMethod IdentifyMethod(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => RequestMethod.Get,
        3 when method.SequenceEqual("PUT"u8) => RequestMethod.Put,
        4 when method.SequenceEqual("POST"u8) => RequestMethod.Post,
        4 when method.SequenceEqual("HEAD"u8) => RequestMethod.Head,
        5 when method.SequenceEqual("PATCH"u8) => RequestMethod.Patch,
        5 when method.SequenceEqual("TRACE"u8) => RequestMethod.Trace,
        6 when method.SequenceEqual("DELETE"u8) => RequestMethod.Delete,
        7 when method.SequenceEqual("OPTIONS"u8) => RequestMethod.Options,
        7 when method.SequenceEqual("CONNECT"u8) => RequestMethod.Connect,
        _ => RequestMethod.Other,
    };

    /// <summary>The text of a method: a constant for the recognised ones, so the common case allocates nothing.</summary>
    internal static string MethodName(RequestMethod kind, ReadOnlySpan<byte> method) => kind switch
    {
        RequestMethod.Get => "GET",
        RequestMethod.Head => "HEAD",
        RequestMethod.Post => "POST",
        RequestMethod.Put => "PUT",
        RequestMethod.Delete => "DELETE",
        RequestMethod.Connect => "CONNECT",
        RequestMethod.Options => "OPTIONS",
        RequestMethod.Trace => "TRACE",
        RequestMethod.Patch => "PATCH",
        _ => Encoding.ASCII.GetString(method),
    };
}
