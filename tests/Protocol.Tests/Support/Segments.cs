using System.Buffers;

namespace ActorHttp.Protocol.Tests.Support;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s so tests walk every split-buffer path.</summary>
public static class Segments
{
    /// <summary>One sequence whose segments are <paramref name="pieces"/>, in order (empty pieces kept).</summary>
    public static ReadOnlySequence<byte> Of(IReadOnlyList<byte[]> pieces)
    {
        if (pieces.Count == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(pieces[0], 0);
        var last = first;
        for (int i = 1; i < pieces.Count; i++) last = last.Append(pieces[i]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>The bytes as a single segment.</summary>
    public static IReadOnlyList<byte[]> Whole(byte[] data) => [data];

    /// <summary>Two segments split at <paramref name="offset"/>.</summary>
    public static IReadOnlyList<byte[]> SplitAt(byte[] data, int offset) => [data[..offset], data[offset..]];

    /// <summary>One segment per byte.</summary>
    public static IReadOnlyList<byte[]> OneBytePerSegment(byte[] data) => data.Select(b => new[] { b }).ToArray();

    /// <summary>Every segmentation the protocol tables run: whole, every two-way split, one byte at a time.</summary>
    public static IEnumerable<(string Name, IReadOnlyList<byte[]> Pieces)> All(byte[] data)
    {
        yield return ("whole", Whole(data));
        for (int i = 1; i < data.Length; i++) yield return ($"split@{i}", SplitAt(data, i));
        yield return ("bytewise", OneBytePerSegment(data));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data, long runningIndex)
        {
            Memory = data;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] data)
        {
            var next = new Segment(data, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
