using System.IO.Compression;
using ActorHttp.Client;

namespace ActorHttp.Actors.Tests.Client.Facade;

internal static class Support
{
    /// <summary>Test options: explicit values, as the settings reader would give them.</summary>
    public static ClientOptions Options(int maxRedirects = 10, bool disableCompression = false, string userAgent = "test-agent",
        TimeSpan? timeout = null) => new(maxRedirects, disableCompression, userAgent, timeout ?? TimeSpan.Zero);

    public static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return output.ToArray();
    }

    public static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    public static byte[] RawDeflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var d = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true)) d.Write(data);
        return output.ToArray();
    }
}
