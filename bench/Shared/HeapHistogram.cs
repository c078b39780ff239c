using Microsoft.Diagnostics.Runtime;

namespace ActorHttp.Bench;

/// <summary>
/// Live objects of this process by type name, from a snapshot read with ClrMD (which writes a dump
/// to /tmp). Compare two histograms to see which types a number of spawned actors or opened
/// connections retain. Shared by the benchmark programs (linked into each project from bench/Shared).
/// </summary>
internal static class HeapHistogram
{
    /// <summary>
    /// Count and bytes per type name, after a full collection; with <paramref name="collect"/> false, of every
    /// object still in the heap, dead or alive (inside a no-GC region: everything allocated since it began).
    /// </summary>
    public static Dictionary<string, (long Count, long Bytes)> Take(bool collect = true)
    {
        if (collect)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        var histogram = new Dictionary<string, (long Count, long Bytes)>();
        using var target = DataTarget.CreateSnapshotAndAttach(Environment.ProcessId);
        var heap = target.ClrVersions[0].CreateRuntime().Heap;
        foreach (var obj in heap.EnumerateObjects())
        {
            if (!obj.IsValid || obj.Type?.Name is not { } name || name == "Free") continue;
            histogram.TryGetValue(name, out var entry);
            histogram[name] = (entry.Count + 1, entry.Bytes + (long)obj.Size);
        }
        return histogram;
    }

    /// <summary>Prints the types that grew by at least one per ten of <paramref name="per"/>, biggest first, per unit.</summary>
    public static void PrintGrowth(Dictionary<string, (long Count, long Bytes)> before, Dictionary<string, (long Count, long Bytes)> after, int per, string indent = "    ")
    {
        var rows = after
            .Select(kv => (Name: kv.Key, Count: kv.Value.Count - before.GetValueOrDefault(kv.Key).Count, Bytes: kv.Value.Bytes - before.GetValueOrDefault(kv.Key).Bytes))
            .Where(r => r.Count * 10 >= per)
            .OrderByDescending(r => r.Bytes)
            .ToList();
        foreach (var r in rows)
            Console.WriteLine($"{indent}{(double)r.Bytes / per,8:N1} B  {(double)r.Count / per,5:N2} x  {r.Name}");
        Console.WriteLine($"{indent}{rows.Sum(r => r.Bytes) / (double)per,8:N1} B  total of the rows above");
    }
}
