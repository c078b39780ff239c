using ActorHttp.Cli.Bench;

namespace ActorHttp.Cli.Tests;

public class LatencyHistogramTests
{
    // Distribution, percentile, exact nearest-rank answer.
    public static TheoryData<string, double, long> Cases
    {
        get
        {
            var data = new TheoryData<string, double, long>();
            foreach (var (p, v) in new[] { (50.0, 500L), (90, 900), (99, 990), (99.9, 999), (100, 1000), (0, 1) })
                data.Add("uniform 1..1000", p, v);
            foreach (var (p, v) in new[] { (50.0, 50_000_000L), (90, 90_000_000), (99, 99_000_000), (99.9, 99_900_000) })
                data.Add("uniform 0.1..100 ms by 0.1 ms", p, v);
            foreach (var (p, v) in new[] { (50.0, 100_000L), (98, 100_000), (99, 100_000), (99.5, 10_000_000), (100, 10_000_000) })
                data.Add("99% fast, 1% slow", p, v);
            foreach (var (p, v) in new[] { (50.0, 42L), (99.9, 42), (100, 42) })
                data.Add("constant", p, v);
            return data;
        }
    }

    private static IEnumerable<long> Values(string distribution) => distribution switch
    {
        "uniform 1..1000" => Enumerable.Range(1, 1000).Select(i => (long)i),
        "uniform 0.1..100 ms by 0.1 ms" => Enumerable.Range(1, 1000).Select(i => i * 100_000L),
        "99% fast, 1% slow" => Enumerable.Repeat(100_000L, 990).Concat(Enumerable.Repeat(10_000_000L, 10)),
        "constant" => Enumerable.Repeat(42L, 7),
        _ => throw new ArgumentException(distribution),
    };

    [Theory, MemberData(nameof(Cases))]
    public void Percentiles_are_the_nearest_rank_within_the_bucket_precision(string distribution, double percentile, long expected)
    {
        var h = new LatencyHistogram();
        // Shuffled, so the order of recording cannot matter.
        foreach (var v in Values(distribution).OrderBy(v => (v * 7919) % 1009)) h.Record(v);
        long actual = h.ValueAtPercentile(percentile);
        Assert.InRange(actual, expected - expected / 200 - 1, expected + expected / 200 + 1);
    }

    [Fact]
    public void Min_max_mean_and_count_are_exact()
    {
        var h = new LatencyHistogram();
        foreach (var v in new long[] { 1_234_567, 89, 5_000_000_000 }) h.Record(v);
        Assert.Equal((3L, 89L, 5_000_000_000L), (h.Count, h.Min, h.Max));
        Assert.Equal((1_234_567 + 89 + 5_000_000_000) / 3.0, h.Mean, 6);
        Assert.Equal(h.Max, h.ValueAtPercentile(100));
    }

    [Fact]
    public void Every_value_lands_in_a_bucket_that_holds_it()
    {
        // Walks the layout: every bucket's bounds contain what maps to it, and buckets tile the line.
        long expectedLower = 0;
        for (int i = 0; i < 256 + 36 * 128 - 1; i++)
        {
            long lower = LatencyHistogram.LowerBound(i), width = LatencyHistogram.Width(i);
            Assert.Equal(expectedLower, lower);
            Assert.Equal(i, LatencyHistogram.IndexOf(lower));
            Assert.Equal(i, LatencyHistogram.IndexOf(lower + width - 1));
            Assert.True(width * 128 <= Math.Max(lower, 128) * 2, $"bucket {i} too wide");
            expectedLower = lower + width;
        }
    }

    [Fact]
    public void Adding_histograms_equals_recording_into_one()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (long v = 1; v < 100_000; v += 37)
        {
            (v % 3 == 0 ? a : b).Record(v * 1000);
            all.Record(v * 1000);
        }
        a.Add(b);
        Assert.Equal((all.Count, all.Min, all.Max, all.Mean), (a.Count, a.Min, a.Max, a.Mean));
        foreach (var p in new[] { 1, 50, 90, 99, 99.9 }) Assert.Equal(all.ValueAtPercentile(p), a.ValueAtPercentile(p));
    }

    [Fact]
    public void Bins_cover_every_value_from_min_to_max()
    {
        var h = new LatencyHistogram();
        for (int i = 0; i < 100; i++) h.Record(1_000_000 + i * 10_000);   // 1 ms .. 1.99 ms
        var bins = h.Bins(10);
        Assert.Equal(10, bins.Count);
        Assert.Equal(100, bins.Sum(b => b.Count));
        Assert.Equal(h.Max, bins[^1].UpperBound);
        Assert.All(bins, b => Assert.InRange(b.Count, 8, 12));
        Assert.Empty(new LatencyHistogram().Bins(10));
    }

    [Fact]
    public void Recording_does_not_allocate()
    {
        var h = new LatencyHistogram();
        h.Record(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long v = 0; v < 100_000; v++) h.Record(v * 997);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
