using System.Buffers;
using ActorHttp.Protocol;

namespace ActorHttp.Protocol.Tests.Paths;

public class PercentEncodingTests
{
    // Go's net/url unescape table: input, path result, query result (null = invalid escape).
    public static TheoryData<string, string?, string?> Cases => new()
    {
        { "", "", "" },
        { "abc", "abc", "abc" },
        { "1%41", "1A", "1A" },
        { "1%41%42%43", "1ABC", "1ABC" },
        { "%4a", "J", "J" },
        { "%6F", "o", "o" },
        { "%", null, null },
        { "%a", null, null },
        { "%1", null, null },
        { "123%45%6", null, null },
        { "%zzzzz", null, null },
        { "a%g1", null, null },
        { "a+b", "a+b", "a b" },
        { "a%20b", "a b", "a b" },
        { "a%2Bb", "a+b", "a+b" },
        { "a%2Fb", "a/b", "a/b" },
        { "100%25", "100%", "100%" },
        { "%C3%A9t%C3%A9", "été", "été" },
        { "caf\u00e9%21", "caf\u00e9!", "caf\u00e9!" },
        // A lone continuation byte is not UTF-8: it becomes U+FFFD rather than vanishing.
        { "%80x", "\uFFFDx", "\uFFFDx" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unescape_matches_go(string input, string? path, string? query)
    {
        Assert.Equal(path is not null, PercentEncoding.TryUnescapePath(input, out var gotPath));
        Assert.Equal(path, gotPath);
        Assert.Equal(query is not null, PercentEncoding.TryUnescapeQueryComponent(input, out var gotQuery));
        Assert.Equal(query, gotQuery);

        var destination = new char[input.Length];
        var status = PercentEncoding.Unescape(input, destination, plusAsSpace: false, out var written);
        Assert.Equal(path is null ? OperationStatus.InvalidData : OperationStatus.Done, status);
        if (path is not null)
        {
            Assert.Equal(path, new string(destination, 0, written));
        }
        Assert.Equal(path is null, PercentEncoding.IndexOfInvalidEscape(input) >= 0);
    }

    [Fact]
    public void Nothing_to_decode_returns_the_same_instance()
    {
        const string plain = "hello-world";
        Assert.True(PercentEncoding.TryUnescapePath(plain, out var result));
        Assert.Same(plain, result);
        const string plus = "a+b";
        Assert.True(PercentEncoding.TryUnescapePath(plus, out var pathResult));
        Assert.Same(plus, pathResult);
    }

    [Fact]
    public void Invalid_escape_offset_is_reported()
    {
        Assert.Equal(3, PercentEncoding.IndexOfInvalidEscape("abc%4%zz"));
        Assert.Equal(6, PercentEncoding.IndexOfInvalidEscape("abc%41%zz"));
        Assert.Equal(-1, PercentEncoding.IndexOfInvalidEscape("%41%42"));
    }

    [Fact]
    public void Too_small_destination_is_reported()
    {
        var status = PercentEncoding.Unescape("abcdef", new char[3], plusAsSpace: false, out var written);
        Assert.Equal(OperationStatus.DestinationTooSmall, status);
        Assert.Equal(0, written);
    }

    [Fact]
    public void Long_input_is_decoded_off_the_stack()
    {
        var input = string.Concat(Enumerable.Repeat("%41", 1000));
        Assert.True(PercentEncoding.TryUnescapePath(input, out var result));
        Assert.Equal(new string('A', 1000), result);
    }
}
