using System.Globalization;
using System.Text;

namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// Builds response text for scripts, byte for byte as written: no header is added that the
/// caller did not ask for, so a script controls framing exactly.
/// </summary>
public static class RawResponse
{
    /// <summary>
    /// <c>HTTP/1.1 {status} {reason}</c>, the given fields, <c>Content-Length</c> of
    /// <paramref name="body"/> (unless <paramref name="contentLength"/> is false), and the body.
    /// </summary>
    public static string Build(int status, string body = "", IEnumerable<(string Name, string Value)>? headers = null,
        bool contentLength = true, string version = "HTTP/1.1")
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{version} {status} {ReasonFor(status)}\r\n");
        foreach (var (name, value) in headers ?? []) text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        if (contentLength) text.Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.Latin1.GetByteCount(body)}\r\n");
        text.Append("\r\n").Append(body);
        return text.ToString();
    }

    /// <summary>A 200 with Content-Length, keep-alive.</summary>
    public static string Ok(string body = "ok") => Build(200, body);

    /// <summary>A chunked body: one chunk per element, the last chunk, the trailer fields and the final CRLF.</summary>
    public static string Chunked(IEnumerable<string> chunks, IEnumerable<(string Name, string Value)>? trailers = null)
    {
        var text = new StringBuilder();
        foreach (var chunk in chunks)
            text.Append(CultureInfo.InvariantCulture, $"{Encoding.Latin1.GetByteCount(chunk):x}\r\n{chunk}\r\n");
        text.Append("0\r\n");
        foreach (var (name, value) in trailers ?? []) text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        return text.Append("\r\n").ToString();
    }

    private static string ReasonFor(int status) => status switch
    {
        100 => "Continue",
        103 => "Early Hints",
        200 => "OK",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        417 => "Expectation Failed",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
