namespace ActorHttp.Protocol;

/// <summary>
/// What the field parser learned about the fields framing and connection management depend on,
/// gathered during the one pass over the header section so nothing is re-parsed or allocated.
/// </summary>
internal struct FieldFacts
{
    /// <summary>Number of Host field lines.</summary>
    public int HostCount;
    /// <summary>Index of the first Host field line, or -1.</summary>
    public int HostIndex;
    /// <summary>The agreed Content-Length, or -1 when absent.</summary>
    public long ContentLength;
    /// <summary>True when at least one Transfer-Encoding field line was seen.</summary>
    public bool HasTransferEncoding;
    /// <summary>Number of transfer codings listed, empty list elements ignored.</summary>
    public int CodingCount;
    /// <summary>Number of times <c>chunked</c> was listed.</summary>
    public int ChunkedCount;
    /// <summary>True when the last coding listed so far is <c>chunked</c>.</summary>
    public bool LastCodingIsChunked;
    /// <summary>True when a Transfer-Encoding element was not a token.</summary>
    public bool TransferEncodingMalformed;
    /// <summary>Options of the Connection fields.</summary>
    public ConnectionOptions Connection;
    /// <summary>True when <c>Expect: 100-continue</c> was seen.</summary>
    public bool ExpectsContinue;
    /// <summary>True when an Expect element other than <c>100-continue</c> was seen.</summary>
    public bool UnknownExpectation;

    /// <summary>Facts of a message without fields.</summary>
    public static FieldFacts Initial => new() { HostIndex = -1, ContentLength = -1 };
}
