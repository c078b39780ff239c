namespace ActorHttp.Protocol;

/// <summary>
/// The result of parsing a message head: the status, the head when complete, how many bytes of
/// the input it occupied, and the reason when rejected.
/// </summary>
/// <typeparam name="THead"><see cref="RequestHead"/> or <see cref="ResponseHead"/>.</typeparam>
public readonly struct HeadParseResult<THead> where THead : class
{
    private HeadParseResult(ParseStatus status, THead? head, long consumed, ProtocolError error)
    {
        Status = status;
        Head = head;
        BytesConsumed = consumed;
        Error = error;
    }

    /// <summary>Complete, need-more-data or rejected.</summary>
    public ParseStatus Status { get; }

    /// <summary>The head when <see cref="Status"/> is <see cref="ParseStatus.Complete"/>.</summary>
    public THead? Head { get; }

    /// <summary>Bytes of the input the head occupied (leading empty lines included); 0 unless complete.</summary>
    public long BytesConsumed { get; }

    /// <summary>Why the input was rejected; <see cref="ProtocolError.None"/> otherwise.</summary>
    public ProtocolError Error { get; }

    /// <summary>The head, or <see cref="HttpProtocolException"/> when rejected.</summary>
    /// <exception cref="InvalidOperationException">More data is needed.</exception>
    public THead GetHeadOrThrow() => Status switch
    {
        ParseStatus.Complete => Head!,
        ParseStatus.Rejected => throw new HttpProtocolException(Error),
        _ => throw new InvalidOperationException("The head is not complete yet."),
    };

    internal static HeadParseResult<THead> NeedMore => new(ParseStatus.NeedMoreData, null, 0, ProtocolError.None);

    internal static HeadParseResult<THead> Reject(ProtocolError error) => new(ParseStatus.Rejected, null, 0, error);

    internal static HeadParseResult<THead> Done(THead head, long consumed) => new(ParseStatus.Complete, head, consumed, ProtocolError.None);

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        ParseStatus.Complete => $"Complete({BytesConsumed} bytes)",
        ParseStatus.Rejected => $"Rejected({Error})",
        _ => "NeedMoreData",
    };
}
