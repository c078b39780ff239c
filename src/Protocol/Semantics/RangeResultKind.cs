namespace ActorHttp.Protocol.Semantics;

/// <summary>What a server does with a request's Range header field (RFC 9110 §14.2).</summary>
public enum RangeResultKind
{
    /// <summary>No range to honour: the header is absent, empty, names a unit other than
    /// <c>bytes</c>, asks for more bytes than the representation has, or the representation is
    /// empty. Serve 200 with the whole representation.</summary>
    NoRange,

    /// <summary>Serve 206 with the ranges: one range as a single body with Content-Range, several
    /// as multipart/byteranges (<see cref="MultipartByteRanges"/>).</summary>
    Satisfiable,

    /// <summary>Serve 416 with <c>Content-Range: bytes */length</c>
    /// (<see cref="RangeHeader.FormatUnsatisfied"/>): no range overlaps the representation, or the
    /// byte-range set is malformed (<see cref="RangeResult.IsMalformed"/>).</summary>
    Unsatisfiable,
}
