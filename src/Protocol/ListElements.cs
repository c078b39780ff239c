namespace ActorHttp.Protocol;

/// <summary>
/// The non-empty, OWS-trimmed elements of a comma-separated field value (RFC 9110 §5.6.1:
/// empty elements are ignored), enumerated without allocating. Quoted strings are not
/// special-cased: the fields this is used for carry tokens only.
/// </summary>
internal ref struct ListElements
{
    private ReadOnlySpan<byte> _rest;
    private bool _done;

    public ListElements(ReadOnlySpan<byte> value)
    {
        _rest = value;
        _done = false;
        Current = default;
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly ListElements GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!_done)
        {
            int comma = _rest.IndexOf((byte)',');
            ReadOnlySpan<byte> element;
            if (comma < 0)
            {
                element = _rest;
                _done = true;
            }
            else
            {
                element = _rest[..comma];
                _rest = _rest[(comma + 1)..];
            }
            element = HttpCharacters.TrimWhitespace(element);
            if (!element.IsEmpty)
            {
                Current = element;
                return true;
            }
        }
        return false;
    }
}
