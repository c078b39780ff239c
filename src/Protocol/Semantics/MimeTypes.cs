using System.Collections.Frozen;

namespace ActorHttp.Protocol.Semantics;

/// <summary>
/// The extension-to-media-type table: what <c>Content-Type</c> a static file gets from its name,
/// like Go's <c>mime.TypeByExtension</c> with its built-in table.
/// </summary>
/// <remarks>
/// <para><b>Table.</b> Go's built-in table (types both Firefox and Chrome agree on), plus the web
/// fonts, Markdown, source maps, web manifests and a few archives a static server meets daily. Go
/// augments its table from the machine's <c>/etc/mime.types</c>; this one is fixed on purpose, so
/// that a server answers the same on every machine.</para>
/// <para><b>Charset.</b> As in Go, every <c>text/*</c> type carries <c>; charset=utf-8</c>;
/// <c>application/json</c> does not (JSON is UTF-8 by definition, RFC 8259).</para>
/// <para><b>Lookup.</b> Case-insensitive and allocation-free: the key is a span of the input.</para>
/// </remarks>
public static class MimeTypes
{
    private static readonly FrozenDictionary<string, string> Table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        // Go's builtinTypesLower.
        ["ai"] = "application/postscript",
        ["apk"] = "application/vnd.android.package-archive",
        ["apng"] = "image/apng",
        ["avif"] = "image/avif",
        ["bin"] = "application/octet-stream",
        ["bmp"] = "image/bmp",
        ["com"] = "application/octet-stream",
        ["css"] = "text/css; charset=utf-8",
        ["csv"] = "text/csv; charset=utf-8",
        ["doc"] = "application/msword",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["ehtml"] = "text/html; charset=utf-8",
        ["eml"] = "message/rfc822",
        ["eps"] = "application/postscript",
        ["exe"] = "application/octet-stream",
        ["flac"] = "audio/flac",
        ["gif"] = "image/gif",
        ["gz"] = "application/gzip",
        ["htm"] = "text/html; charset=utf-8",
        ["html"] = "text/html; charset=utf-8",
        ["ico"] = "image/vnd.microsoft.icon",
        ["ics"] = "text/calendar; charset=utf-8",
        ["jfif"] = "image/jpeg",
        ["jpeg"] = "image/jpeg",
        ["jpg"] = "image/jpeg",
        ["js"] = "text/javascript; charset=utf-8",
        ["json"] = "application/json",
        ["m4a"] = "audio/mp4",
        ["mjs"] = "text/javascript; charset=utf-8",
        ["mp3"] = "audio/mpeg",
        ["mp4"] = "video/mp4",
        ["oga"] = "audio/ogg",
        ["ogg"] = "audio/ogg",
        ["ogv"] = "video/ogg",
        ["opus"] = "audio/ogg",
        ["pdf"] = "application/pdf",
        ["pjp"] = "image/jpeg",
        ["pjpeg"] = "image/jpeg",
        ["png"] = "image/png",
        ["ppt"] = "application/vnd.ms-powerpoint",
        ["pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ["ps"] = "application/postscript",
        ["rdf"] = "application/rdf+xml",
        ["rtf"] = "application/rtf",
        ["shtml"] = "text/html; charset=utf-8",
        ["svg"] = "image/svg+xml",
        ["text"] = "text/plain; charset=utf-8",
        ["tif"] = "image/tiff",
        ["tiff"] = "image/tiff",
        ["txt"] = "text/plain; charset=utf-8",
        ["vtt"] = "text/vtt; charset=utf-8",
        ["wasm"] = "application/wasm",
        ["wav"] = "audio/wav",
        ["weba"] = "audio/webm",
        ["webm"] = "video/webm",
        ["webp"] = "image/webp",
        ["xbl"] = "text/xml; charset=utf-8",
        ["xbm"] = "image/x-xbitmap",
        ["xht"] = "application/xhtml+xml",
        ["xhtml"] = "application/xhtml+xml",
        ["xls"] = "application/vnd.ms-excel",
        ["xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ["xml"] = "text/xml; charset=utf-8",
        ["xsl"] = "text/xml; charset=utf-8",
        ["zip"] = "application/zip",

        // Additions (IANA-registered names; what nginx's mime.types serves for them).
        ["woff"] = "font/woff",
        ["woff2"] = "font/woff2",
        ["ttf"] = "font/ttf",
        ["otf"] = "font/otf",
        ["md"] = "text/markdown; charset=utf-8",
        ["markdown"] = "text/markdown; charset=utf-8",
        ["map"] = "application/json",
        ["webmanifest"] = "application/manifest+json",
        ["jsonld"] = "application/ld+json",
        ["tar"] = "application/x-tar",
        ["7z"] = "application/x-7z-compressed",
        ["mov"] = "video/quicktime",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByExtension =
        Table.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Returns the media type for a file extension or a file path, or null when the extension is
    /// unknown or there is none.
    /// </summary>
    /// <param name="extOrPath">
    /// <c>".html"</c>, <c>"html"</c>, <c>"docs/Index.HTML"</c> or <c>@"C:\site\a.css"</c>: the
    /// extension is what follows the last dot of the last path segment (so <c>"a.tar.gz"</c> is
    /// <c>gz</c>, and <c>"dir.d/README"</c> has none). A string with neither dot nor separator is
    /// taken as a bare extension.
    /// </param>
    public static string? FromExtension(string extOrPath)
    {
        ArgumentNullException.ThrowIfNull(extOrPath);
        var s = extOrPath.AsSpan();
        var segmentStart = s.LastIndexOfAny('/', '\\') + 1;
        var segment = s[segmentStart..];
        var dot = segment.LastIndexOf('.');
        ReadOnlySpan<char> ext;
        if (dot >= 0)
        {
            ext = segment[(dot + 1)..];
        }
        else if (segmentStart == 0)
        {
            ext = segment;
        }
        else
        {
            return null;
        }

        return ext.IsEmpty ? null : ByExtension.TryGetValue(ext, out var type) ? type : null;
    }
}
