using System.Buffers;

namespace ActorHttp.Protocol;

/// <summary>
/// Decodes one message body from input of any segmentation, as framed by a
/// <see cref="MessageFraming"/>: Content-Length, chunked (RFC 9112 §7.1, with extensions
/// checked and bounded and trailers parsed) or read-until-close. Each <see cref="Decode"/> call
/// returns at most one slice of body data, taken from the input without copying; the caller
/// uses it, advances its input by <see cref="BodyDecodeResult.BytesConsumed"/> and calls again.
/// The chunked coding is one step-driven state machine (hyper's decode.rs is the model):
/// framing bytes are stepped one at a time, so no boundary can change the outcome.
/// </summary>
public sealed class BodyDecoder
{
    private readonly MessageFraming _framing;
    private readonly HttpParserLimits _limits;
    private readonly FieldRole _trailerRole;
    private ChunkedState _state;
    // Content-Length: bytes left; chunked: bytes left in the current chunk, or the size being read.
    private long _remaining;
    private int _sizeDigits;
    private int _extensionBytes;
    private ProtocolError _failure;

    /// <summary>Creates a decoder for a body framed by <paramref name="framing"/>.</summary>
    /// <param name="framing">How the body ends.</param>
    /// <param name="limits">Chunk-extension and trailer bounds.</param>
    /// <param name="isResponse">True for a response body: obs-fold in its trailers is replaced, not rejected.</param>
    public BodyDecoder(MessageFraming framing, HttpParserLimits limits, bool isResponse)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _framing = framing;
        _limits = limits;
        _trailerRole = isResponse ? FieldRole.ResponseTrailer : FieldRole.RequestTrailer;
        _remaining = framing.Kind == BodyKind.ContentLength ? framing.ContentLength : 0;
        _state = framing.Kind == BodyKind.None ? ChunkedState.End : ChunkedState.Size;
    }

    /// <summary>A decoder for the body of <paramref name="head"/>.</summary>
    public static BodyDecoder For(RequestHead head, HttpParserLimits limits) => new(head.Framing, limits, isResponse: false);

    /// <summary>A decoder for the body of <paramref name="head"/>.</summary>
    public static BodyDecoder For(ResponseHead head, HttpParserLimits limits) => new(head.Framing, limits, isResponse: true);

    /// <summary>The trailer fields of a chunked body, once <see cref="IsComplete"/>; empty otherwise.</summary>
    public HeaderCollection Trailers { get; private set; } = HeaderCollection.Empty;

    /// <summary>True once every body byte (and the trailer section) has been consumed.</summary>
    public bool IsComplete => _framing.Kind switch
    {
        BodyKind.ContentLength => _remaining == 0,
        BodyKind.ReadToClose => _state == ChunkedState.End,
        _ => _state == ChunkedState.End,
    };

    /// <summary>
    /// Decodes from the start of <paramref name="input"/>. <paramref name="isFinalBlock"/> says the
    /// peer closed: that ends a read-to-close body and truncates any other.
    /// </summary>
    public BodyDecodeResult Decode(in ReadOnlySequence<byte> input, bool isFinalBlock = false)
    {
        if (_failure != ProtocolError.None) return Reject(_failure, 0);
        switch (_framing.Kind)
        {
            case BodyKind.None:
                return new BodyDecodeResult(BodyDecodeStatus.End, default, 0, ProtocolError.None);
            case BodyKind.ContentLength:
                if (_remaining == 0) return new BodyDecodeResult(BodyDecodeStatus.End, default, 0, ProtocolError.None);
                if (input.IsEmpty) return NeedMore(0, isFinalBlock);
                long take = Math.Min(_remaining, input.Length);
                _remaining -= take;
                return new BodyDecodeResult(BodyDecodeStatus.Data, input.Slice(0, take), take, ProtocolError.None);
            case BodyKind.ReadToClose:
                if (_state == ChunkedState.End) return new BodyDecodeResult(BodyDecodeStatus.End, default, 0, ProtocolError.None);
                if (!input.IsEmpty) return new BodyDecodeResult(BodyDecodeStatus.Data, input, input.Length, ProtocolError.None);
                if (!isFinalBlock) return new BodyDecodeResult(BodyDecodeStatus.NeedMoreData, default, 0, ProtocolError.None);
                _state = ChunkedState.End;
                return new BodyDecodeResult(BodyDecodeStatus.End, default, 0, ProtocolError.None);
            default:
                return DecodeChunked(input, isFinalBlock);
        }
    }

    private BodyDecodeResult DecodeChunked(in ReadOnlySequence<byte> input, bool isFinalBlock)
    {
        var reader = new SequenceReader<byte>(input);
        while (true)
        {
            switch (_state)
            {
                case ChunkedState.End:
                    return new BodyDecodeResult(BodyDecodeStatus.End, default, reader.Consumed, ProtocolError.None);
                case ChunkedState.Data:
                {
                    long take = Math.Min(_remaining, reader.Remaining);
                    if (take == 0) return NeedMore(reader.Consumed, isFinalBlock);
                    var data = input.Slice(reader.Position, take);
                    reader.Advance(take);
                    _remaining -= take;
                    if (_remaining == 0) _state = ChunkedState.DataCarriageReturn;
                    return new BodyDecodeResult(BodyDecodeStatus.Data, data, reader.Consumed, ProtocolError.None);
                }
                case ChunkedState.Trailers:
                {
                    var error = ReadTrailers(ref reader, input, out bool done);
                    if (error != ProtocolError.None) return Reject(error, reader.Consumed);
                    if (!done) return NeedMore(reader.Consumed, isFinalBlock);
                    break;
                }
                default:
                {
                    if (!reader.TryRead(out byte b)) return NeedMore(reader.Consumed, isFinalBlock);
                    var error = Step(b);
                    if (error != ProtocolError.None) return Reject(error, reader.Consumed);
                    break;
                }
            }
        }
    }

    /// <summary>One byte of chunk framing: the size line, its extensions and the CRLF after data.</summary>
    private ProtocolError Step(byte b)
    {
        if ((_state is >= ChunkedState.ExtensionStart and <= ChunkedState.ExtensionValueWhitespace || b == (byte)';') && b != (byte)'\r')
        {
            // Bounded per body, not per line: many tiny chunks with long extensions are the abuse.
            // The count is of extension text: each ';' and what follows it up to the CR.
            if (++_extensionBytes > _limits.MaxChunkExtensionBytes) return ProtocolError.ChunkExtensionsTooLong;
        }
        bool ws = HttpCharacters.IsWhitespace(b);
        switch (_state)
        {
            case ChunkedState.Size:
                int hex = HttpCharacters.HexValue(b);
                if (hex >= 0)
                {
                    if (_remaining > (long.MaxValue >> 4)) return ProtocolError.ChunkSizeOverflow;
                    _remaining = (_remaining << 4) | (uint)hex;
                    _sizeDigits++;
                    return ProtocolError.None;
                }
                if (_sizeDigits == 0) return ProtocolError.InvalidChunkSize;
                return Next(b == (byte)'\r' ? ChunkedState.SizeLineFeed
                    : b == (byte)';' ? ChunkedState.ExtensionStart
                    : ws ? ChunkedState.SizeWhitespace
                    : (ChunkedState?)null, ProtocolError.InvalidChunkSize);
            case ChunkedState.SizeWhitespace:
                return Next(ws ? ChunkedState.SizeWhitespace : b == (byte)';' ? ChunkedState.ExtensionStart : null, ProtocolError.InvalidChunkSize);
            case ChunkedState.ExtensionStart:
                return Next(ws ? ChunkedState.ExtensionStart : HttpCharacters.IsToken(b) ? ChunkedState.ExtensionName : null);
            case ChunkedState.ExtensionName:
                return Next(HttpCharacters.IsToken(b) ? ChunkedState.ExtensionName
                    : ws ? ChunkedState.ExtensionNameWhitespace
                    : b == (byte)'=' ? ChunkedState.ExtensionValueStart
                    : b == (byte)';' ? ChunkedState.ExtensionStart
                    : b == (byte)'\r' ? ChunkedState.SizeLineFeed
                    : null);
            case ChunkedState.ExtensionNameWhitespace:
                return Next(ws ? ChunkedState.ExtensionNameWhitespace
                    : b == (byte)'=' ? ChunkedState.ExtensionValueStart
                    : b == (byte)';' ? ChunkedState.ExtensionStart
                    : null);
            case ChunkedState.ExtensionValueStart:
                return Next(ws ? ChunkedState.ExtensionValueStart
                    : b == (byte)'"' ? ChunkedState.ExtensionQuoted
                    : HttpCharacters.IsToken(b) ? ChunkedState.ExtensionToken
                    : null);
            case ChunkedState.ExtensionToken:
                return Next(HttpCharacters.IsToken(b) ? ChunkedState.ExtensionToken
                    : ws ? ChunkedState.ExtensionValueWhitespace
                    : b == (byte)';' ? ChunkedState.ExtensionStart
                    : b == (byte)'\r' ? ChunkedState.SizeLineFeed
                    : null);
            case ChunkedState.ExtensionQuoted:
                // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
                return Next(b == (byte)'"' ? ChunkedState.ExtensionQuotedEnd
                    : b == (byte)'\\' ? ChunkedState.ExtensionQuotedPair
                    : ws || (b >= 0x21 && b != 0x7F) ? ChunkedState.ExtensionQuoted
                    : null);
            case ChunkedState.ExtensionQuotedPair:
                return Next(ws || (b >= 0x21 && b != 0x7F) ? ChunkedState.ExtensionQuoted : null);
            case ChunkedState.ExtensionQuotedEnd:
                return Next(ws ? ChunkedState.ExtensionValueWhitespace
                    : b == (byte)';' ? ChunkedState.ExtensionStart
                    : b == (byte)'\r' ? ChunkedState.SizeLineFeed
                    : null);
            case ChunkedState.ExtensionValueWhitespace:
                return Next(ws ? ChunkedState.ExtensionValueWhitespace : b == (byte)';' ? ChunkedState.ExtensionStart : null);
            case ChunkedState.SizeLineFeed:
                if (b != (byte)'\n') return ProtocolError.InvalidChunkSize;
                _state = _remaining == 0 ? ChunkedState.Trailers : ChunkedState.Data;
                _sizeDigits = 0;
                return ProtocolError.None;
            case ChunkedState.DataCarriageReturn:
                return Next(b == (byte)'\r' ? ChunkedState.DataLineFeed : null, ProtocolError.InvalidChunkTerminator);
            case ChunkedState.DataLineFeed:
                return Next(b == (byte)'\n' ? ChunkedState.Size : null, ProtocolError.InvalidChunkTerminator);
            default:
                throw new InvalidOperationException($"No byte step in state {_state}.");
        }
    }

    private ProtocolError Next(ChunkedState? next, ProtocolError otherwise = ProtocolError.InvalidChunkExtension)
    {
        if (next is not { } state) return otherwise;
        _state = state;
        return ProtocolError.None;
    }

    /// <summary>
    /// The trailer section after the last chunk: either CRLF at once, or field lines ended by an
    /// empty line, found within the trailer limit, then parsed like a header section.
    /// </summary>
    private ProtocolError ReadTrailers(ref SequenceReader<byte> reader, in ReadOnlySequence<byte> input, out bool done)
    {
        done = false;
        var rest = input.Slice(reader.Position);
        if (rest.Length < 2) return ProtocolError.None;
        byte first = HeadScanner.ByteAt(rest, 0);
        if (first == (byte)'\r')
        {
            if (HeadScanner.ByteAt(rest, 1) != (byte)'\n') return ProtocolError.BareCarriageReturn;
            reader.Advance(2);
            _state = ChunkedState.End;
            done = true;
            return ProtocolError.None;
        }
        long limit = (long)_limits.MaxTrailerBytes + 2;
        long end = HeadScanner.EndOfEmptyLine(rest, 0, limit);
        if (end < 0) return rest.Length >= limit ? ProtocolError.TrailerSectionTooLarge : ProtocolError.None;

        var buffer = HeadScanner.CopyHead(rest, 0, end);
        var facts = FieldFacts.Initial;
        var error = FieldSectionParser.Parse(buffer, 0, _trailerRole, _limits.HeaderCountFor(_trailerRole), out var trailers, ref facts);
        if (error == ProtocolError.TooManyHeaders) error = ProtocolError.TrailerSectionTooLarge;
        if (error != ProtocolError.None) return error;
        Trailers = trailers;
        reader.Advance(end);
        _state = ChunkedState.End;
        done = true;
        return ProtocolError.None;
    }

    private BodyDecodeResult NeedMore(long consumed, bool isFinalBlock) => isFinalBlock
        ? Reject(ProtocolError.TruncatedBody, consumed)
        : new BodyDecodeResult(BodyDecodeStatus.NeedMoreData, default, consumed, ProtocolError.None);

    private BodyDecodeResult Reject(ProtocolError error, long consumed)
    {
        _failure = error;
        return new BodyDecodeResult(BodyDecodeStatus.Rejected, default, consumed, error);
    }
}
