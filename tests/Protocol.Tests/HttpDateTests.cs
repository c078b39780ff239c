using System.Text;

namespace ActorHttp.Protocol.Tests;

public class HttpDateTests
{
    private static readonly DateTimeOffset Example = new(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]   // IMF-fixdate
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]  // RFC 850
    [InlineData("Sun Nov  6 08:49:37 1994")]        // asctime
    [InlineData("  Sun, 06 Nov 1994 08:49:37 GMT ")]
    public void The_three_formats_of_rfc9110_parse_to_the_same_instant(string text)
    {
        Assert.True(HttpDate.TryParse(text, out var value));
        Assert.Equal(Example, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 PST")]
    [InlineData("Sun, 32 Nov 1994 08:49:37 GMT")]
    public void Other_text_does_not_parse(string text) => Assert.False(HttpDate.TryParse(text, out _));

    [Fact]
    public void Format_writes_an_imf_fixdate_in_utc()
    {
        Span<byte> buffer = stackalloc byte[HttpDate.Length];
        Assert.Equal(29, HttpDate.Format(Example.ToOffset(TimeSpan.FromHours(-8)), buffer));
        Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", Encoding.ASCII.GetString(buffer));
        HttpDate.Format(new DateTimeOffset(2026, 1, 1, 0, 0, 5, TimeSpan.Zero), buffer);
        Assert.Equal("Thu, 01 Jan 2026 00:00:05 GMT", Encoding.ASCII.GetString(buffer));
        Assert.True(HttpDate.TryParse(Encoding.ASCII.GetString(buffer), out var back));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 5, TimeSpan.Zero), back);
    }

    [Fact]
    public void Format_refuses_a_short_destination() =>
        Assert.Throws<ArgumentException>(() => HttpDate.Format(Example, new byte[28]));
}
