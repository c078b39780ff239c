using System.Globalization;
using System.Text;

namespace ActorHttp.Cli.Bench;

/// <summary>The human-readable summary of a bench run, hey's layout: totals, percentiles, histogram, statuses, errors, pool.</summary>
internal static class BenchReport
{
    private const int BarWidth = 40;
    private static readonly double[] Percentiles = [50, 90, 99, 99.9];

    public static string Format(BenchResult r, BenchArguments args, int histogramRows)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        void Line(FormattableString s) => sb.Append(s.ToString(inv)).Append('\n');

        Line($"Summary: {args.Method} {args.Url}, {args.Concurrency} loops, at most {args.MaxConns} connections");
        Line($"  Total:        {r.Elapsed.TotalSeconds:F3} s");
        Line($"  Requests:     {r.Requests} ({r.Succeeded} 2xx, {r.ErrorCount} errors)");
        Line($"  Requests/sec: {r.RequestsPerSecond:F1}");
        sb.Append('\n');
        if (r.Latency.Count > 0)
        {
            Line($"Latency of 2xx responses (ms):");
            Line($"  min {Ms(r.Latency.Min)}  mean {r.Latency.Mean / 1e6:F3}  max {Ms(r.Latency.Max)}");
            foreach (var p in Percentiles) Line($"  p{p,-5} {Ms(r.Latency.ValueAtPercentile(p))}");
            sb.Append('\n');
            Line($"Histogram (ms, upper bound of each bin):");
            var bins = r.Latency.Bins(histogramRows);
            long most = bins.Max(b => b.Count);
            foreach (var (upper, count) in bins)
            {
                int bar = most == 0 ? 0 : (int)Math.Round((double)count * BarWidth / most);
                Line($"  {Ms(upper),10} [{count}]\t|{new string('■', bar)}");
            }
            sb.Append('\n');
        }
        Line($"Status codes:");
        for (int code = 0; code < r.Statuses.Length; code++)
            if (r.Statuses[code] > 0) Line($"  [{code}] {r.Statuses[code]} responses");
        if (r.Errors.Any(n => n > 0))
        {
            Line($"Errors:");
            for (int i = 0; i < r.Errors.Length; i++)
                if (r.Errors[i] > 0) Line($"  {BenchResult.ErrorSlotName(i)}: {r.Errors[i]}");
        }
        sb.Append('\n');
        // A new connection's first request sees GotConn(Reused: false), so those count connections put to use even
        // when the transport reports its dials on the event stream only; dials are shown as the request traces saw them.
        Line($"Connections (from trace events, warm-up included):");
        Line($"  opened {r.Fresh}, reused {r.Reused} times; dials traced {r.Dialed}, failed {r.DialFailed}");
        return sb.ToString();
    }

    private static string Ms(long nanoseconds) => (nanoseconds / 1e6).ToString("F3", CultureInfo.InvariantCulture);
}
