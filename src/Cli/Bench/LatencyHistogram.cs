using System.Numerics;

namespace ActorHttp.Cli.Bench;

/// <summary>
/// A log-linear latency histogram in nanoseconds, HdrHistogram's layout in miniature: exact below
/// 256 ns, then every power-of-two range split into 128 equal buckets, so a recorded value is known
/// to within 1/128 (under 0.8 %) of itself. Preallocated (≈39 KB); <see cref="Record"/> is a few
/// arithmetic instructions and an increment — no lock, no allocation — so each load loop owns one
/// and the loops' histograms are added together at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 8;
    private const int SubCount = 1 << SubBits;        // exact buckets 0..255, and twice the per-octave count
    private const int HalfCount = SubCount / 2;       // buckets per octave above the exact range
    private const int TopBit = 44;                    // values at or past 2^44 ns (≈ 4.9 h) land in the last bucket

    private readonly long[] _counts = new long[SubCount + (TopBit - SubBits) * HalfCount];
    private long _sum;

    /// <summary>Values recorded.</summary>
    public long Count { get; private set; }

    /// <summary>Smallest value recorded (exact); 0 when empty.</summary>
    public long Min { get; private set; }

    /// <summary>Largest value recorded (exact); 0 when empty.</summary>
    public long Max { get; private set; }

    /// <summary>Mean of the recorded values (exact); 0 when empty.</summary>
    public double Mean => Count == 0 ? 0 : (double)_sum / Count;

    /// <summary>Records one value; negatives count as 0.</summary>
    public void Record(long nanoseconds)
    {
        long v = Math.Max(0, nanoseconds);
        _counts[IndexOf(v)]++;
        if (Count == 0 || v < Min) Min = v;
        if (v > Max) Max = v;
        Count++;
        _sum += v;
    }

    /// <summary>Adds every value of <paramref name="other"/> to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        if (other.Count == 0) return;
        for (int i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Min = Count == 0 ? other.Min : Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        Count += other.Count;
        _sum += other._sum;
    }

    /// <summary>
    /// The nearest-rank percentile: the smallest recorded value that at least <paramref name="percent"/> % of
    /// the values do not exceed, as its bucket's midpoint (within 0.4 %), kept within [<see cref="Min"/>, <see cref="Max"/>].
    /// 0 when empty; 100 gives <see cref="Max"/>.
    /// </summary>
    public long ValueAtPercentile(double percent)
    {
        if (Count == 0) return 0;
        if (percent >= 100) return Max;
        long rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Clamp(Midpoint(i), Min, Max);
        }
        return Max;
    }

    /// <summary>
    /// <paramref name="rows"/> equal-width bins from <see cref="Min"/> to <see cref="Max"/> with the number of
    /// values in each (values placed by their bucket's midpoint), as hey prints its histogram.
    /// </summary>
    public IReadOnlyList<(long UpperBound, long Count)> Bins(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var bins = new (long UpperBound, long Count)[rows];
        if (Count == 0) return [];
        double width = (double)(Max - Min) / rows;
        for (int r = 0; r < rows; r++) bins[r].UpperBound = r == rows - 1 ? Max : Min + (long)Math.Round(width * (r + 1));
        for (int i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] == 0) continue;
            long v = Math.Clamp(Midpoint(i), Min, Max);
            int row = width == 0 ? 0 : Math.Min(rows - 1, (int)((v - Min) / width));
            bins[row].Count += _counts[i];
        }
        return bins;
    }

    internal static int IndexOf(long v)
    {
        if (v < SubCount) return (int)v;
        int m = BitOperations.Log2((ulong)v);
        if (m >= TopBit) return SubCount + (TopBit - SubBits) * HalfCount - 1;
        int shift = m - SubBits + 1;
        return SubCount + (m - SubBits) * HalfCount + (int)((v >> shift) - HalfCount);
    }

    internal static long LowerBound(int index)
    {
        if (index < SubCount) return index;
        int k = index - SubCount;
        int shift = k / HalfCount + 1;
        return (long)(HalfCount + k % HalfCount) << shift;
    }

    internal static long Width(int index) => index < SubCount ? 1 : 1L << ((index - SubCount) / HalfCount + 1);

    private static long Midpoint(int index) => LowerBound(index) + (Width(index) - 1) / 2;
}
