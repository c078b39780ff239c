namespace ActorHttp.Protocol.Tests;

public class KeepAliveTests
{
    [Theory]
    [InlineData(HttpProtocolVersion.Http11, ConnectionOptions.None, true)]
    [InlineData(HttpProtocolVersion.Http11, ConnectionOptions.Close, false)]
    [InlineData(HttpProtocolVersion.Http11, ConnectionOptions.KeepAlive | ConnectionOptions.Close, false)]
    [InlineData(HttpProtocolVersion.Http10, ConnectionOptions.None, false)]
    [InlineData(HttpProtocolVersion.Http10, ConnectionOptions.KeepAlive, true)]
    [InlineData(HttpProtocolVersion.Http10, ConnectionOptions.KeepAlive | ConnectionOptions.Close, false)]
    public void Persistence_follows_rfc9112_section_9_3(HttpProtocolVersion version, ConnectionOptions options, bool persistent) =>
        Assert.Equal(persistent, KeepAlive.IsPersistent(version, options));

    [Theory]
    [InlineData("close", ConnectionOptions.Close)]
    [InlineData("Keep-Alive", ConnectionOptions.KeepAlive)]
    [InlineData(" , TE, upGrade ,close,", ConnectionOptions.Upgrade | ConnectionOptions.Close)]
    [InlineData("closed, keep-alives", ConnectionOptions.None)]
    public void Connection_tokens_are_matched_whole_and_case_insensitively(string value, ConnectionOptions expected) =>
        Assert.Equal(expected, FieldRules.ConnectionTokens(System.Text.Encoding.ASCII.GetBytes(value)));
}
