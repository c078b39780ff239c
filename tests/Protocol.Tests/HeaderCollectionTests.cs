using System.Text;
using ActorHttp.Protocol.Tests.Support;

namespace ActorHttp.Protocol.Tests;

public class HeaderCollectionTests
{
    private static RequestHead Parse(string raw) =>
        new RequestHeadParser(TestLimits.Default).Parse(Segments.Of([Encoding.Latin1.GetBytes(raw)])).GetHeadOrThrow();

    private const string Browser =
        "GET / HTTP/1.1\r\nHost: a\r\nAccept: text/html\r\nx-trace: 1\r\nX-Trace: 2\r\nCONTENT-LENGTH: 0\r\nCookie: k=v\r\n\r\n";

    [Fact]
    public void Lookup_is_case_insensitive_and_keeps_repeats_in_order()
    {
        var headers = Parse(Browser).Headers;
        Assert.Equal(6, headers.Count);
        Assert.True(headers.TryGetValue("accept", out var accept));
        Assert.Equal("text/html", accept);
        Assert.Equal("1", headers.GetValue("X-TRACE"));
        Assert.Equal(2, headers.CountOf("x-trace"));
        var values = new List<string>();
        foreach (var field in headers.GetFields("X-Trace")) values.Add(field.Value);
        Assert.Equal(["1", "2"], values);
        Assert.Null(headers.GetValue("X-Missing"));
        Assert.False(headers.Contains("X-Trac"));
        Assert.Equal("0", headers.GetValue(KnownHeader.ContentLength));
        Assert.Equal("CONTENT-LENGTH", headers[4].Name);
        Assert.Equal(KnownHeader.ContentLength, headers[4].Known);
        Assert.True(headers.TryGetValueSpan("cookie", out var cookie));
        Assert.Equal("k=v"u8.ToArray(), cookie.ToArray());
    }

    [Fact]
    public void Lookups_do_not_allocate()
    {
        var headers = Parse(Browser).Headers;
        // Warm up: the first calls may JIT.
        Lookups(headers);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int found = 0;
        for (int i = 0; i < 100; i++) found += Lookups(headers);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(500, found);
    }

    private static int Lookups(HeaderCollection headers)
    {
        int found = 0;
        if (headers.Contains("host")) found++;
        if (headers.TryGetValueSpan("Cookie", out _)) found++;
        if (headers.IndexOf(KnownHeader.ContentLength, 0) >= 0) found++;
        foreach (var field in headers.GetFields("x-trace")) found += field.ValueSpan.Length;
        return found;
    }

    [Fact]
    public void Parsing_allocates_per_message_not_per_header()
    {
        var parser = new RequestHeadParser(TestLimits.Default);
        var few = Segments.Of([Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")]);
        var many = Segments.Of([Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\n" +
            string.Concat(Enumerable.Range(0, 60).Select(i => $"X-{i}: v\r\n")) + "\r\n")]);
        parser.Parse(few);
        parser.Parse(many);
        long Measure(System.Buffers.ReadOnlySequence<byte> input)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            parser.Parse(input);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long fewBytes = Measure(few), manyBytes = Measure(many);
        // The growth is the head copy (about 8 bytes a field) plus one offset entry (24 bytes) a field:
        // arrays, not objects. Anything above 40 bytes a field would mean a per-field allocation.
        Assert.True(manyBytes - fewBytes < 60 * 40, $"few={fewBytes} many={manyBytes}");
    }

    [Fact]
    public void FromFields_refuses_injection() =>
        Assert.Throws<ArgumentException>(() => HeaderCollection.FromFields([new("X", "a\r\nB: c")]));
}
