using System.Buffers;
using ActorHttp.Client.Proxy;
using ActorHttp.Protocol;

namespace ActorHttp.Client.Connection;

/// <summary>
/// Turns a <see cref="ClientRequest"/> into the bytes of its head (request line, fields, framing) and says
/// how its body goes on the wire. The facade has already added Host, User-Agent and Accept-Encoding; what is
/// added here is what only the transport decides: framing, <c>Connection: close</c>, and Host when a caller
/// uses the transport directly without one. Through a proxy (an http:// target), the request line carries the
/// absolute URI and the proxy's credentials go in <c>Proxy-Authorization</c> (Go's <c>Request.write</c> with
/// <c>usingProxy</c>, and the header its <c>persistConn</c> sets).
/// </summary>
public static class RequestHeadBuilder
{
    /// <summary>Bodies up to this size go out in the same write as the head: one syscall instead of two.</summary>
    private const int InlineBodyLimit = 16 * 1024;

    /// <summary>How the body of a request is sent.</summary>
    public enum BodyPlan
    {
        /// <summary>No body.</summary>
        None,

        /// <summary>The body is in the head's bytes already.</summary>
        Inline,

        /// <summary>Content-Length framing, written after the head.</summary>
        Length,

        /// <summary>Chunked framing, written after the head.</summary>
        Chunked,
    }

    /// <summary>Writes the head of <paramref name="request"/> into <paramref name="writer"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="writer">Where the bytes go.</param>
    /// <param name="closeAfter">Send <c>Connection: close</c> (keep-alives disabled).</param>
    /// <param name="expectContinue">Whether to wait for 100-continue before the body (the caller set
    /// <c>Expect: 100-continue</c>, there is a body and the timeout is not zero).</param>
    /// <param name="waitForContinue">Whether the expect-continue timeout allows waiting at all.</param>
    /// <param name="forwardProxy">The proxy the request is sent to in absolute form; null = straight to the server.
    /// Its credentials replace any Proxy-Authorization the caller set, as Go's do.</param>
    /// <returns>How the body is sent.</returns>
    /// <exception cref="HttpClientException">A field or the target cannot be written (kind InvalidRequest).</exception>
    public static BodyPlan Write(ClientRequest request, ArrayBufferWriter<byte> writer, bool closeAfter, bool waitForContinue, out bool expectContinue,
        HttpProxy? forwardProxy = null)
    {
        var content = request.Content;
        expectContinue = false;
        try
        {
            var uri = request.Uri;
            var target = forwardProxy is null ? uri.PathAndQuery : uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
            HttpMessageWriter.WriteRequestLine(writer, request.Method, target, HttpProtocolVersion.Http11);
            var proxyAuthorization = forwardProxy?.Authorization;
            var headers = request.Headers;
            if (!headers.Contains("Host")) HttpMessageWriter.WriteHeader(writer, "Host", uri.IsDefaultPort ? uri.Host : uri.Authority);
            // Indexed: enumerating the list's interface would box an enumerator on every request.
            for (var i = 0; i < headers.Count; i++)
            {
                var (name, value) = headers[i];
                // Framing is the transport's: whatever the caller set would disagree with what is sent.
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
                if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && closeAfter) continue;
                if (proxyAuthorization is not null && name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)) continue;
                if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
                {
                    if (content is null) continue;
                    expectContinue = waitForContinue && value.Trim().Equals("100-continue", StringComparison.OrdinalIgnoreCase);
                }
                HttpMessageWriter.WriteHeader(writer, name, value);
            }
            if (proxyAuthorization is not null) HttpMessageWriter.WriteHeader(writer, "Proxy-Authorization", proxyAuthorization);
            if (closeAfter) HttpMessageWriter.WriteHeader(writer, "Connection", "close");

            BodyPlan plan;
            if (content is null)
            {
                // RFC 9110 §8.6: a method that expects content says "0" when it has none.
                if (request.Method is "POST" or "PUT" or "PATCH") HttpMessageWriter.WriteContentLength(writer, 0);
                plan = BodyPlan.None;
            }
            else if (content.Length is { } length)
            {
                HttpMessageWriter.WriteContentLength(writer, length);
                plan = length == 0 ? BodyPlan.None
                    : !expectContinue && length <= InlineBodyLimit && content is ByteArrayRequestContent ? BodyPlan.Inline
                    : BodyPlan.Length;
            }
            else
            {
                HttpMessageWriter.WriteChunkedTransferEncoding(writer);
                plan = BodyPlan.Chunked;
            }
            HttpMessageWriter.WriteEndOfHead(writer);
            return plan;
        }
        catch (ArgumentException e)
        {
            throw new HttpClientException(ClientErrorKind.InvalidRequest, e.Message, request, innerException: e);
        }
    }
}
