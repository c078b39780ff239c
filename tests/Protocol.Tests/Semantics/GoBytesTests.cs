namespace ActorHttp.Protocol.Tests.Semantics;

public class GoBytesTests
{
    [Fact]
    public void Decodes_two_digit_hex_escapes_and_utf8()
    {
        Assert.Equal(new byte[] { 0x00, (byte)'A', (byte)'V', (byte)'I' }, GoBytes.Decode(@"\x00AVI"));
        Assert.Equal(new byte[] { 0x0D, 0x0A, (byte)'<' }, GoBytes.Decode(@"\r\n<"));
        Assert.Equal(new byte[] { 0xE2, 0x98, 0x83 }, GoBytes.Decode("☃"));
    }
}
