using System.Buffers;

namespace ActorHttp.Protocol;

/// <summary>
/// Finds line ends and the empty line that ends a head in input of any segmentation, within a
/// bound, so the search never runs into a pipelined body and limits are enforced before copying.
/// A single span takes a vectorised IndexOf; several segments go through <see cref="SequenceReader{T}"/>.
/// </summary>
internal static class HeadScanner
{
    private static ReadOnlySpan<byte> EmptyLine => "\r\n\r\n"u8;

    /// <summary>Index of the first LF in [<paramref name="from"/>, <paramref name="limit"/>), or -1.</summary>
    public static long IndexOfLineFeed(in ReadOnlySequence<byte> input, long from, long limit)
    {
        long end = Math.Min(input.Length, limit);
        if (end <= from) return -1;
        var first = input.FirstSpan;
        if (end <= first.Length)
        {
            // Fast path: the searched range lies in the first span; no sequence slicing.
            int i = first[(int)from..(int)end].IndexOf((byte)'\n');
            return i < 0 ? -1 : from + i;
        }
        var slice = input.Slice(from, end - from);
        var reader = new SequenceReader<byte>(slice);
        return reader.TryAdvanceTo((byte)'\n', advancePastDelimiter: false) ? from + reader.Consumed : -1;
    }

    /// <summary>
    /// Index just past the first CRLF CRLF that starts in [<paramref name="from"/>, <paramref name="limit"/> - 4]
    /// and ends by <paramref name="limit"/>, or -1.
    /// </summary>
    public static long EndOfEmptyLine(in ReadOnlySequence<byte> input, long from, long limit)
    {
        long end = Math.Min(input.Length, limit);
        if (end - from < EmptyLine.Length) return -1;
        var first = input.FirstSpan;
        if (end <= first.Length)
        {
            int i = first[(int)from..(int)end].IndexOf(EmptyLine);
            return i < 0 ? -1 : from + i + EmptyLine.Length;
        }
        var slice = input.Slice(from, end - from);
        var reader = new SequenceReader<byte>(slice);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, EmptyLine, advancePastDelimiter: true) ? from + reader.Consumed : -1;
    }

    /// <summary>The byte at <paramref name="index"/> of <paramref name="input"/>.</summary>
    public static byte ByteAt(in ReadOnlySequence<byte> input, long index)
    {
        var first = input.FirstSpan;
        return index < first.Length ? first[(int)index] : input.Slice(index, 1).FirstSpan[0];
    }

    /// <summary>Copies the first <paramref name="length"/> bytes of <paramref name="input"/> from <paramref name="start"/> into a new array the head will own.</summary>
    public static byte[] CopyHead(in ReadOnlySequence<byte> input, long start, long length)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(checked((int)length));
        var first = input.FirstSpan;
        if (start + length <= first.Length) first.Slice((int)start, (int)length).CopyTo(buffer);
        else input.Slice(start, length).CopyTo(buffer);
        return buffer;
    }
}
