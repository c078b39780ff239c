namespace ActorHttp.Protocol;

/// <summary>
/// The states of the chunked decoder (RFC 9112 §7.1), one per grammar position, stepped a byte
/// at a time outside chunk data so any segmentation of the input yields the same result.
/// </summary>
internal enum ChunkedState : byte
{
    /// <summary>Reading the hex digits of chunk-size.</summary>
    Size,
    /// <summary>BWS after the size; only ';' may follow.</summary>
    SizeWhitespace,
    /// <summary>After ';' (and BWS): the extension name starts.</summary>
    ExtensionStart,
    /// <summary>Inside an extension name.</summary>
    ExtensionName,
    /// <summary>BWS after a name; '=' or ';' follows.</summary>
    ExtensionNameWhitespace,
    /// <summary>After '=' (and BWS): a token or quoted-string starts.</summary>
    ExtensionValueStart,
    /// <summary>Inside a token value.</summary>
    ExtensionToken,
    /// <summary>Inside a quoted-string value.</summary>
    ExtensionQuoted,
    /// <summary>After a backslash in a quoted string.</summary>
    ExtensionQuotedPair,
    /// <summary>Just after the closing quote of a quoted value: BWS, ';' or CR.</summary>
    ExtensionQuotedEnd,
    /// <summary>BWS after a value; only ';' may follow.</summary>
    ExtensionValueWhitespace,
    /// <summary>CR seen; LF ends the size line.</summary>
    SizeLineFeed,
    /// <summary>Inside chunk data.</summary>
    Data,
    /// <summary>After chunk data: CR.</summary>
    DataCarriageReturn,
    /// <summary>After chunk data: LF.</summary>
    DataLineFeed,
    /// <summary>After the last chunk: the trailer section and the final CRLF.</summary>
    Trailers,
    /// <summary>The body is complete.</summary>
    End,
}
