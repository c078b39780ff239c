using System.Globalization;

namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// An entity tag (RFC 9110 §8.8.3): an opaque quoted string, optionally marked weak with
/// <c>W/</c>, that names one version of a representation; with the scanning and the two
/// comparison functions of RFC 9110 §8.8.3.2 as Go's <c>scanETag</c>, <c>etagStrongMatch</c> and
/// <c>etagWeakMatch</c> do them.
/// </summary>
/// <remarks>
/// <para><b>Syntax.</b> <c>[W/] DQUOTE *etagc DQUOTE</c> with etagc = %x21 / %x23-7E / obs-text
/// (so no spaces, no inner quotes). The <c>W/</c> prefix is case-sensitive.</para>
/// <para><b>Comparison.</b> Strong: both strong and character-for-character equal (If-Match,
/// If-Range). Weak: equal once any <c>W/</c> is removed (If-None-Match).</para>
/// </remarks>
public readonly struct EntityTag : IEquatable<EntityTag>
{
    private EntityTag(string tag) => Tag = tag;

    /// <summary>The whole tag as it appears in a field: <c>"xyz"</c> or <c>W/"xyz"</c>.</summary>
    public string Tag { get; }

    /// <summary>True for a weak tag (<c>W/</c> prefix).</summary>
    public bool IsWeak => Tag is not null && Tag.StartsWith("W/", StringComparison.Ordinal);

    /// <summary>
    /// The tag this server gives a file: strong, <c>"&lt;mtime&gt;-&lt;length&gt;"</c> with the
    /// last-modified instant in UTC ticks (100 ns) and the length, both lowercase hex.
    /// </summary>
    /// <remarks>
    /// Strong, like nginx's (which uses the same two inputs), because If-Range and If-Match only
    /// ever match strong tags: a weak file tag would make every resumed download start over and
    /// every If-Match fail. The promise a strong tag makes — same tag, same bytes — holds as long as
    /// a rewrite changes the size or the modification time; at 100 ns resolution a same-size rewrite
    /// within one tick is the only miss, and a tool that restores an old mtime on purpose defeats
    /// Last-Modified just the same. Content hashing would close that gap but costs a read of the
    /// whole file before the first byte can be sent.
    /// </remarks>
    public static EntityTag ForFile(long length, DateTimeOffset lastModified)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new EntityTag(string.Create(CultureInfo.InvariantCulture, $"\"{lastModified.UtcTicks:x}-{length:x}\""));
    }

    /// <summary>Wraps an opaque value into a tag: <paramref name="opaque"/> goes between the quotes.</summary>
    /// <exception cref="ArgumentException">The value has a character an entity tag cannot carry.</exception>
    public static EntityTag Create(string opaque, bool weak)
    {
        ArgumentNullException.ThrowIfNull(opaque);
        foreach (var c in opaque)
        {
            if (!IsETagChar(c))
            {
                throw new ArgumentException("An entity tag cannot contain spaces, quotes or control characters.", nameof(opaque));
            }
        }

        return new EntityTag((weak ? "W/\"" : "\"") + opaque + "\"");
    }

    /// <summary>
    /// Parses a field value that must be exactly one entity tag (surrounding whitespace allowed),
    /// such as an ETag response field.
    /// </summary>
    public static bool TryParse(string? value, out EntityTag tag)
    {
        tag = default;
        if (value is null || !Scan(value, out var found, out var remain) || !TrimOws(remain).IsEmpty)
        {
            return false;
        }

        tag = new EntityTag(found.Length == value.Length ? value : found.ToString());
        return true;
    }

    /// <summary>
    /// Go's <c>scanETag</c>: skips leading whitespace, and if an entity tag starts there, returns it
    /// and the text after it (not trimmed); otherwise returns false. Used to walk If-Match and
    /// If-None-Match lists.
    /// </summary>
    public static bool Scan(ReadOnlySpan<char> s, out ReadOnlySpan<char> etag, out ReadOnlySpan<char> remain)
    {
        etag = default;
        remain = default;
        s = TrimOws(s);
        var start = s.StartsWith("W/", StringComparison.Ordinal) ? 2 : 0;
        if (s.Length - start < 2 || s[start] != '"')
        {
            return false;
        }

        for (var i = start + 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '"')
            {
                etag = s[..(i + 1)];
                remain = s[(i + 1)..];
                return true;
            }

            if (!IsETagChar(c))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Strong comparison (RFC 9110 §8.8.3.2): both strong and identical. Arguments are
    /// assumed to be valid tags.</summary>
    public static bool StrongMatch(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        !a.IsEmpty && a[0] == '"' && a.SequenceEqual(b);

    /// <summary>Weak comparison (RFC 9110 §8.8.3.2): identical once any <c>W/</c> is removed.
    /// Arguments are assumed to be valid tags.</summary>
    public static bool WeakMatch(ReadOnlySpan<char> a, ReadOnlySpan<char> b) =>
        WithoutWeakPrefix(a).SequenceEqual(WithoutWeakPrefix(b));

    /// <inheritdoc/>
    public bool Equals(EntityTag other) => string.Equals(Tag, other.Tag, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EntityTag other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Tag is null ? 0 : StringComparer.Ordinal.GetHashCode(Tag);

    /// <summary>The tag as it goes into a field.</summary>
    public override string ToString() => Tag ?? "";

    /// <summary>Ordinal equality of the full tags (weakness included).</summary>
    public static bool operator ==(EntityTag left, EntityTag right) => left.Equals(right);

    /// <summary>Ordinal inequality of the full tags.</summary>
    public static bool operator !=(EntityTag left, EntityTag right) => !left.Equals(right);

    private static ReadOnlySpan<char> WithoutWeakPrefix(ReadOnlySpan<char> s) =>
        s.StartsWith("W/", StringComparison.Ordinal) ? s[2..] : s;

    // etagc = %x21 / %x23-7E / obs-text; strings here are UTF-16, so obs-text is anything >= 0x80.
    private static bool IsETagChar(char c) => c == 0x21 || c is >= (char)0x23 and <= (char)0x7E || c >= 0x80;

    internal static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> s) => s.Trim(" \t\r\n");
}
