using System.Buffers;
using System.Text;

namespace ActorHttp.Protocol.Tests.Support;

/// <summary>
/// Feeds a message to the parsers the way a pipe would: segments arrive one by one, the
/// unconsumed input is passed again with the new segment appended, and the peer closes after the
/// last one. The outcome is a string so every segmentation can be compared with the whole run.
/// </summary>
public static class MessageDriver
{
    public static string RunRequest(IReadOnlyList<byte[]> pieces, HttpParserLimits limits) =>
        Run(pieces, limits, null);

    public static string RunResponse(IReadOnlyList<byte[]> pieces, HttpParserLimits limits, RequestMethod method) =>
        Run(pieces, limits, method);

    private static string Run(IReadOnlyList<byte[]> pieces, HttpParserLimits limits, RequestMethod? responseTo)
    {
        var full = Segments.Of(pieces);
        var requestParser = new RequestHeadParser(limits);
        var responseParser = new ResponseHeadParser(limits);
        string? head = null;
        BodyDecoder? decoder = null;
        var body = new List<byte>();
        long consumed = 0, available = 0;
        int steps = 0;
        for (int i = 0; i < pieces.Count; i++)
        {
            available += pieces[i].Length;
            bool final = i == pieces.Count - 1;
            while (true)
            {
                if (++steps > 100_000) throw new InvalidOperationException("The parser does not make progress.");
                var view = full.Slice(consumed, available - consumed);
                if (decoder is null)
                {
                    if (responseTo is { } method)
                    {
                        var r = responseParser.Parse(view, method);
                        if (r.Status == ParseStatus.Rejected) return $"Rejected({r.Error})";
                        if (r.Status == ParseStatus.NeedMoreData)
                        {
                            if (r.BytesConsumed != 0) throw new InvalidOperationException("NeedMoreData consumed bytes.");
                            if (final) return "Incomplete";
                            break;
                        }
                        consumed += r.BytesConsumed;
                        head = Describe(r.Head!);
                        decoder = BodyDecoder.For(r.Head!, limits);
                    }
                    else
                    {
                        var r = requestParser.Parse(view);
                        if (r.Status == ParseStatus.Rejected) return $"Rejected({r.Error})";
                        if (r.Status == ParseStatus.NeedMoreData)
                        {
                            if (r.BytesConsumed != 0) throw new InvalidOperationException("NeedMoreData consumed bytes.");
                            if (final) return "Incomplete";
                            break;
                        }
                        consumed += r.BytesConsumed;
                        head = Describe(r.Head!);
                        decoder = BodyDecoder.For(r.Head!, limits);
                    }
                    continue;
                }
                var d = decoder.Decode(view, final);
                if (d.BytesConsumed > view.Length) throw new InvalidOperationException("Consumed past the input.");
                consumed += d.BytesConsumed;
                switch (d.Status)
                {
                    case BodyDecodeStatus.Rejected:
                        return $"Rejected({d.Error})";
                    case BodyDecodeStatus.Data:
                        if (d.Data.Length == 0) throw new InvalidOperationException("Empty data slice.");
                        body.AddRange(d.Data.ToArray());
                        continue;
                    case BodyDecodeStatus.End:
                        var trailers = string.Join("", decoder.Trailers.Select(f => $"\n  trailer {f.Name}: {f.Value}"));
                        return $"{head}\n  body={Encoding.Latin1.GetString(body.ToArray())}{trailers}\n  left={full.Length - consumed}";
                    case BodyDecodeStatus.NeedMoreData:
                        break;
                }
                break;
            }
        }
        return "Incomplete";
    }

    /// <summary>Parses requests back to back from one connection's bytes, as a server reading pipelined requests.</summary>
    public static List<string> RunPipeline(IReadOnlyList<byte[]> pieces, HttpParserLimits limits)
    {
        var full = Segments.Of(pieces);
        var parser = new RequestHeadParser(limits);
        var messages = new List<string>();
        RequestHead? head = null;
        BodyDecoder? decoder = null;
        var body = new List<byte>();
        long consumed = 0, available = 0;
        for (int i = 0; i < pieces.Count; i++)
        {
            available += pieces[i].Length;
            bool final = i == pieces.Count - 1;
            while (true)
            {
                var view = full.Slice(consumed, available - consumed);
                if (decoder is null)
                {
                    if (view.IsEmpty) break;
                    var r = parser.Parse(view);
                    if (r.Status == ParseStatus.Rejected) { messages.Add($"Rejected({r.Error})"); return messages; }
                    if (r.Status == ParseStatus.NeedMoreData) break;
                    consumed += r.BytesConsumed;
                    head = r.Head!;
                    decoder = BodyDecoder.For(head, limits);
                    continue;
                }
                var d = decoder.Decode(view, final);
                consumed += d.BytesConsumed;
                if (d.Status == BodyDecodeStatus.Data) { body.AddRange(d.Data.ToArray()); continue; }
                if (d.Status == BodyDecodeStatus.Rejected) { messages.Add($"Rejected({d.Error})"); return messages; }
                if (d.Status == BodyDecodeStatus.NeedMoreData) break;
                messages.Add($"{head!.Method} {head.RawTarget} body={Encoding.Latin1.GetString(body.ToArray())} keep-alive={head.KeepAlive}");
                body.Clear();
                decoder = null;
            }
        }
        if (consumed != full.Length) messages.Add($"Incomplete({full.Length - consumed} bytes left)");
        return messages;
    }

    public static string Describe(RequestHead h)
    {
        var sb = new StringBuilder($"{h.Method} {h.RawTarget} {h.Version} form={h.TargetForm} path={h.Path} query={h.Query ?? "<none>"} host={h.Host}");
        foreach (var f in h.Headers) sb.Append($"\n  {f.Name}: {f.Value}");
        sb.Append($"\n  framing={h.Framing.Kind}:{h.Framing.ContentLength} keep-alive={h.KeepAlive} continue={h.ExpectsContinue}");
        return sb.ToString();
    }

    public static string Describe(ResponseHead h)
    {
        var sb = new StringBuilder($"{h.Version} {h.StatusCode} '{h.ReasonPhrase}'");
        foreach (var f in h.Headers) sb.Append($"\n  {f.Name}: {f.Value}");
        sb.Append($"\n  framing={h.Framing.Kind}:{h.Framing.ContentLength} keep-alive={h.KeepAlive}");
        return sb.ToString();
    }
}
