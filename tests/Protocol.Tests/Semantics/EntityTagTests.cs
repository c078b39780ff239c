using ActorHttp.Protocol.Semantics;

namespace ActorHttp.Protocol.Tests.Semantics;

public class EntityTagTests
{
    // Go's TestScanETag (net/http/fs_test.go), plus whitespace and character-class rows.
    public static TheoryData<string, string, string> ScanTable => new()
    {
        { "W/\"etag-1\"", "W/\"etag-1\"", "" },
        { "\"etag-2\"", "\"etag-2\"", "" },
        { "\"etag-1\", \"etag-2\"", "\"etag-1\"", ", \"etag-2\"" },
        { "", "", "" },
        { "W/", "", "" },
        { "W/\"truc", "", "" },
        { "w/\"case-sensitive\"", "", "" },
        { "\"spaced etag\"", "", "" },
        { "  \"a\"  ", "\"a\"", "" },         // trimmed first, so the remainder's spaces go too
        { "\"a\" ,\"b\"", "\"a\"", " ,\"b\"" },
        { "\"\"", "\"\"", "" },               // the empty opaque tag is valid
        { "\"", "", "" },
        { "\"a\tb\"", "", "" },
        { "\"caf\u00e9\"", "\"caf\u00e9\"", "" }, // obs-text
        { "\"!#~\"", "\"!#~\"", "" },
        { "*", "", "" },
        { "abc", "", "" },
    };

    [Theory]
    [MemberData(nameof(ScanTable))]
    public void Scans_like_go(string input, string wantTag, string wantRemain)
    {
        var found = EntityTag.Scan(input, out var tag, out var remain);
        Assert.Equal(wantTag != "", found);
        Assert.Equal(wantTag, tag.ToString());
        Assert.Equal(wantRemain, remain.ToString());
    }

    // RFC 9110 §8.8.3.2's example table.
    [Theory]
    [InlineData("W/\"1\"", "W/\"1\"", false, true)]
    [InlineData("W/\"1\"", "W/\"2\"", false, false)]
    [InlineData("W/\"1\"", "\"1\"", false, true)]
    [InlineData("\"1\"", "\"1\"", true, true)]
    [InlineData("\"1\"", "\"2\"", false, false)]
    [InlineData("\"a\"", "\"A\"", false, false)]
    public void Compares_as_rfc_9110_says(string a, string b, bool strong, bool weak)
    {
        Assert.Equal(strong, EntityTag.StrongMatch(a, b));
        Assert.Equal(strong, EntityTag.StrongMatch(b, a));
        Assert.Equal(weak, EntityTag.WeakMatch(a, b));
        Assert.Equal(weak, EntityTag.WeakMatch(b, a));
    }

    [Fact]
    public void Nothing_strongly_matches_an_absent_tag()
    {
        Assert.False(EntityTag.StrongMatch("\"a\"", null));
        Assert.False(EntityTag.StrongMatch("", ""));
        Assert.False(EntityTag.WeakMatch("\"a\"", null));
    }

    [Theory]
    [InlineData("\"abc\"", true, "\"abc\"", false)]
    [InlineData("W/\"abc\"", true, "W/\"abc\"", true)]
    [InlineData("  \"abc\"\t", true, "\"abc\"", false)]
    [InlineData("\"abc\" x", false, "", false)]
    [InlineData("\"a\", \"b\"", false, "", false)]
    [InlineData("w/\"abc\"", false, "", false)]
    [InlineData("abc", false, "", false)]
    [InlineData("", false, "", false)]
    [InlineData(null, false, "", false)]
    public void Parses_a_single_tag(string? input, bool ok, string tag, bool weak)
    {
        Assert.Equal(ok, EntityTag.TryParse(input, out var parsed));
        Assert.Equal(tag, parsed.ToString());
        Assert.Equal(weak, parsed.IsWeak);
    }

    [Fact]
    public void File_tags_are_strong_hex_of_ticks_and_length()
    {
        var modified = new DateTimeOffset(2014, 6, 25, 17, 12, 18, TimeSpan.Zero).AddTicks(1234);
        var tag = EntityTag.ForFile(8, modified);
        Assert.False(tag.IsWeak);
        Assert.Equal($"\"{modified.UtcTicks:x}-8\"", tag.Tag);
        Assert.True(EntityTag.TryParse(tag.Tag, out var parsed));
        Assert.Equal(tag, parsed);

        // Same instant in another offset: same tag. Any change of size or time: another tag.
        Assert.Equal(tag, EntityTag.ForFile(8, modified.ToOffset(TimeSpan.FromHours(2))));
        Assert.NotEqual(tag, EntityTag.ForFile(9, modified));
        Assert.NotEqual(tag, EntityTag.ForFile(8, modified.AddTicks(1)));
        Assert.Equal("\"0-0\"", EntityTag.ForFile(0, default).Tag);
        Assert.Throws<ArgumentOutOfRangeException>(() => EntityTag.ForFile(-1, modified));
    }

    [Fact]
    public void Creates_tags_from_opaque_values()
    {
        Assert.Equal("\"v1\"", EntityTag.Create("v1", weak: false).Tag);
        Assert.Equal("W/\"v1\"", EntityTag.Create("v1", weak: true).Tag);
        Assert.True(EntityTag.Create("v1", weak: true).IsWeak);
        Assert.Throws<ArgumentException>(() => EntityTag.Create("a b", weak: false));
        Assert.Throws<ArgumentException>(() => EntityTag.Create("a\"b", weak: false));
        Assert.True(EntityTag.Create("x", false) == EntityTag.Create("x", false));
        Assert.True(EntityTag.Create("x", false) != EntityTag.Create("x", true));
        Assert.Equal("", default(EntityTag).ToString());
        Assert.False(default(EntityTag).IsWeak);
    }
}
