namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// The deterministic byte pattern every peer streams (<c>/stream/{n}</c>, Python's
/// <c>/close-delimited</c>, scripted bodies): byte <c>i</c> is <c>i mod 251</c>. A prime period
/// means a dropped, repeated or reordered block of any power-of-two size shows up as a mismatch.
/// </summary>
public static class PeerBytes
{
    /// <summary>The pattern's byte at <paramref name="index"/>.</summary>
    public static byte At(long index) => (byte)(index % 251);

    /// <summary>The first <paramref name="count"/> bytes of the pattern.</summary>
    public static byte[] Pattern(int count)
    {
        var bytes = new byte[count];
        Fill(bytes, 0);
        return bytes;
    }

    /// <summary>Fills <paramref name="destination"/> with the pattern starting at <paramref name="offset"/>.</summary>
    public static void Fill(Span<byte> destination, long offset)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = At(offset + i);
    }
}
