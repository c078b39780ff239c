using System.Globalization;

namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// One satisfiable byte range of a representation: <see cref="Start"/> and <see cref="Length"/>,
/// both already clamped to the representation's length (Go's <c>httpRange</c>).
/// </summary>
/// <param name="Start">Offset of the first byte, 0 &lt;= Start &lt; complete length.</param>
/// <param name="Length">Number of bytes, at least 1.</param>
public readonly record struct ByteRange(long Start, long Length)
{
    /// <summary>Offset of the last byte, inclusive (the <c>last-pos</c> of RFC 9110 §14.4).</summary>
    public long Last => Start + Length - 1;

    /// <summary>
    /// The Content-Range field value for this range of a representation of
    /// <paramref name="completeLength"/> bytes: <c>bytes 0-499/1234</c> (RFC 9110 §14.4).
    /// </summary>
    public string ToContentRange(long completeLength) =>
        string.Create(CultureInfo.InvariantCulture, $"bytes {Start}-{Last}/{completeLength}");
}
