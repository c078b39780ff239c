using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Protocol.Tests.Semantics;

public class MimeTypesTests
{
    [Theory]
    [InlineData(".html", "text/html; charset=utf-8")]
    [InlineData("html", "text/html; charset=utf-8")]
    [InlineData("HTM", "text/html; charset=utf-8")]
    [InlineData("index.HTML", "text/html; charset=utf-8")]
    [InlineData("/var/www/site/style.css", "text/css; charset=utf-8")]
    [InlineData(@"C:\site\app.js", "text/javascript; charset=utf-8")]
    [InlineData("module.mjs", "text/javascript; charset=utf-8")]
    [InlineData("data.json", "application/json")]
    [InlineData("notes.txt", "text/plain; charset=utf-8")]
    [InlineData("feed.xml", "text/xml; charset=utf-8")]
    [InlineData("logo.svg", "image/svg+xml")]
    [InlineData("a.png", "image/png")]
    [InlineData("a.jpg", "image/jpeg")]
    [InlineData("a.jpeg", "image/jpeg")]
    [InlineData("a.gif", "image/gif")]
    [InlineData("a.webp", "image/webp")]
    [InlineData("favicon.ico", "image/vnd.microsoft.icon")]
    [InlineData("doc.pdf", "application/pdf")]
    [InlineData("app.wasm", "application/wasm")]
    [InlineData("f.woff", "font/woff")]
    [InlineData("f.woff2", "font/woff2")]
    [InlineData("a.zip", "application/zip")]
    [InlineData("archive.tar.gz", "application/gzip")]
    [InlineData("movie.mp4", "video/mp4")]
    [InlineData("song.mp3", "audio/mpeg")]
    [InlineData("table.csv", "text/csv; charset=utf-8")]
    [InlineData("README.md", "text/markdown; charset=utf-8")]
    [InlineData("dir.d/page.html", "text/html; charset=utf-8")]
    public void Knows_common_extensions(string input, string expected)
    {
        Assert.Equal(expected, MimeTypes.FromExtension(input));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("file.")]
    [InlineData("file.unknownext")]
    [InlineData("Makefile")]
    [InlineData("dir.html/README")]   // the dot is in a directory name, not the file's
    [InlineData(@"dir.css\LICENSE")]
    [InlineData("/")]
    public void Answers_null_when_unknown(string input)
    {
        Assert.Null(MimeTypes.FromExtension(input));
    }

    [Fact]
    public void Every_text_type_names_utf8()
    {
        foreach (var ext in new[] { "html", "htm", "css", "js", "mjs", "txt", "xml", "csv", "md", "ics", "vtt", "xsl", "shtml" })
        {
            var type = MimeTypes.FromExtension(ext);
            Assert.NotNull(type);
            Assert.StartsWith("text/", type);
            Assert.EndsWith("; charset=utf-8", type);
        }
    }

    [Fact]
    public void Lookup_does_not_allocate()
    {
        MimeTypes.FromExtension("/a/b/index.HTML");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            MimeTypes.FromExtension("/a/b/index.HTML");
            MimeTypes.FromExtension("x.unknown");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
