using System.Buffers;
using System.Text;
using ActorHttp.Protocol;

namespace ActorHttp.Server.Connection;

/// <summary>
/// The response the server writes itself when it refuses a request: the status, a one-line
/// plain-text reason, and <c>Connection: close</c> (unless the connection is kept: a handler's failure).
/// </summary>
internal static class ErrorResponse
{
    public static void Write(IBufferWriter<byte> output, int status, string reason, bool close = true, bool http10 = false)
    {
        var body = Encoding.ASCII.GetBytes($"{status} {reason}\n");
        HttpMessageWriter.WriteStatusLine(output, HttpProtocolVersion.Http11, status);
        HttpMessageWriter.WriteDate(output, DateCache.Current);
        HttpMessageWriter.WriteHeader(output, "Content-Type", "text/plain; charset=utf-8");
        HttpMessageWriter.WriteHeader(output, "X-Content-Type-Options", "nosniff");
        if (close) HttpMessageWriter.WriteHeader(output, "Connection", "close");
        else if (http10) HttpMessageWriter.WriteHeader(output, "Connection", "keep-alive");
        HttpMessageWriter.WriteContentLength(output, body.Length);
        HttpMessageWriter.WriteEndOfHead(output);
        output.Write(body);
    }
}
