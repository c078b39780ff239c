using System.Text;

namespace ActorHttp.Faults.Table;

/// <summary>
/// The garbage fault's request heads: head <c>i</c> of seed <c>s</c> is always the same bytes. A tenth are random
/// bytes, a tenth random printable text with line breaks, the rest valid requests with one to four mutations (bit
/// flips, hostile bytes, cuts, duplications, hostile header lines, oversized lines and sections, bare LFs, odd
/// versions and methods, trailing junk).
/// </summary>
public static class GarbageCorpus
{
    private static readonly string[] Bases =
    [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /hello?x=1&y=%20 HTTP/1.1\r\nHost: a\r\nUser-Agent: faults\r\nAccept: */*\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nTrailer-Field: x\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://a/hello HTTP/1.1\r\nHost: a\r\n\r\n",
        "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
        "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nCookie: a=b; c=d\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    ];

    private static readonly byte[] Hostile = [0, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)':', (byte)';', (byte)',', (byte)'"', (byte)'/', (byte)'\\', 0x7f, 0x80, 0xff, (byte)'%', (byte)'?', (byte)'#', (byte)'@'];

    private static readonly string[] HostileLines =
    [
        "Content-Length: -1", "Content-Length: 99999999999999999999", "Content-Length: 5, 6", "Content-Length: 0\r\nContent-Length: 1",
        "Content-Length: 1_0", "Content-Length: +5", "Transfer-Encoding: chunked, identity", "Transfer-Encoding: gzip",
        "Transfer-Encoding : chunked", "Transfer-Encoding: chunked\r\nContent-Length: 3", " folded: continuation", "\tfolded",
        "Host: a\r\nHost: b", "X-Ctl: a\u0001b", "Expect: 100-continue", "Connection: upgrade\r\nUpgrade: h2c", "Connection: close",
        ": empty-name", "No-Colon", "X\0Nul: v", "Content-Length:", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
    ];

    private static readonly string[] Versions = ["HTTP/1.2", "HTTP/2.0", "HTTP/0.9", "HTTP/1.10", "HTTP/x.y", "HTTP/1.1 ", "http/1.1", "HTTP/11", "HTTP/1", "HTTP/9.9", ""];

    private static readonly string[] Methods = ["get", "G\x7fT", "PROPFIND", "M-SEARCH", new string('M', 300), "GET GET", "", "\u00e9T", "DELETE", "TRACE", "PRI"];

    /// <summary>Head <paramref name="i"/> of <paramref name="seed"/>.</summary>
    public static byte[] Make(int seed, int i)
    {
        var random = new Random((int)(Mix.Hash(seed, i) & 0x7fffffff));
        var kind = random.Next(10);
        if (kind == 0)
        {
            var bytes = new byte[random.Next(1, 2049)];
            random.NextBytes(bytes);
            return bytes;
        }
        if (kind == 1)
        {
            var text = new StringBuilder();
            var length = random.Next(1, 2049);
            while (text.Length < length) text.Append(random.Next(12) == 0 ? "\r\n" : ((char)random.Next(0x20, 0x7f)).ToString());
            return Encoding.Latin1.GetBytes(text.ToString());
        }

        var head = new List<byte>(Encoding.Latin1.GetBytes(Bases[random.Next(Bases.Length)]));
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations; m++) Mutate(head, random);
        if (head.Count > 256 * 1024) head.RemoveRange(256 * 1024, head.Count - 256 * 1024);
        return [.. head];
    }

    private static void Mutate(List<byte> head, Random random)
    {
        var at = head.Count == 0 ? 0 : random.Next(head.Count);
        switch (random.Next(13))
        {
            case 0 when head.Count > 0:
                head[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when head.Count > 0:
                head[at] = Hostile[random.Next(Hostile.Length)];
                break;
            case 2:
                head.Insert(at, Hostile[random.Next(Hostile.Length)]);
                break;
            case 3 when head.Count > 0:
                head.RemoveRange(at, Math.Min(random.Next(1, 9), head.Count - at));
                break;
            case 4 when head.Count > 0:
            {
                var length = Math.Min(random.Next(1, 65), head.Count - at);
                head.InsertRange(random.Next(head.Count), head.GetRange(at, length));
                break;
            }
            case 5 when head.Count > 0:
                head.RemoveRange(at, head.Count - at);
                break;
            case 6:
                InsertLine(head, HostileLines[random.Next(HostileLines.Length)]);
                break;
            case 7:
            {
                var line = $"X-Repeat-{random.Next(10)}: {new string('v', random.Next(1, 40))}";
                var times = random.Next(50, 400);
                for (var t = 0; t < times; t++) InsertLine(head, line);
                break;
            }
            case 8:
            {
                // An oversized target (the request-line limit is 8 KiB) or an oversized field (the section limit is 32 KiB).
                var big = new string('a', random.Next(2) == 0 ? random.Next(8000, 9000) : random.Next(30_000, 40_000));
                var space = head.IndexOf((byte)' ');
                if (random.Next(2) == 0 && space >= 0) head.InsertRange(space + 1, Encoding.Latin1.GetBytes("/" + big));
                else InsertLine(head, "X-Big: " + big);
                break;
            }
            case 9:
                for (var k = head.Count - 2; k >= 0; k--)
                    if (head[k] == '\r' && head[k + 1] == '\n' && random.Next(2) == 0) head.RemoveAt(k);
                break;
            case 10:
                ReplaceToken(head, lineIndex: 2, Versions[random.Next(Versions.Length)]);
                break;
            case 11:
                ReplaceToken(head, lineIndex: 0, Methods[random.Next(Methods.Length)]);
                break;
            default:
            {
                var junk = new byte[random.Next(1, 200)];
                random.NextBytes(junk);
                head.AddRange(junk);
                break;
            }
        }
    }

    // Inserts a header line after the request line (or at the start when there is none).
    private static void InsertLine(List<byte> head, string line)
    {
        var end = head.IndexOf((byte)'\n');
        head.InsertRange(end + 1, Encoding.Latin1.GetBytes(line + "\r\n"));
    }

    // Replaces the method (index 0) or the version (index 2) of the request line.
    private static void ReplaceToken(List<byte> head, int lineIndex, string token)
    {
        if (head.Count == 0) return;
        var lineEnd = head.IndexOf((byte)'\r');
        if (lineEnd < 0) lineEnd = head.Count;
        var first = head.IndexOf((byte)' ');
        var last = head.LastIndexOf((byte)' ', Math.Max(0, lineEnd - 1));
        if (first < 0 || last <= first || last > lineEnd) return;
        var bytes = Encoding.Latin1.GetBytes(token);
        if (lineIndex == 0)
        {
            head.RemoveRange(0, first);
            head.InsertRange(0, bytes);
        }
        else
        {
            head.RemoveRange(last + 1, lineEnd - last - 1);
            head.InsertRange(last + 1, bytes);
        }
    }
}
