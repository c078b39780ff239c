using System.Globalization;
using System.Runtime.InteropServices;

namespace ActorHttp.Faults;

/// <summary>What the operating system says about a process: resident memory, open sockets, the descriptor limit.</summary>
public static class ProcessFacts
{
    private const int RlimitNofile = 7;   // RLIMIT_NOFILE on Linux (x86-64 and arm64)

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this repository keeps off; two calls at start-up.
    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit limit);
#pragma warning restore SYSLIB1054

    /// <summary>
    /// Raises this process's open-file limit to at least <paramref name="wanted"/> (soft limit up to the hard one; the
    /// hard one too when the process may, as root may). Children started afterwards inherit it. Returns the soft
    /// limit in force, or -1 where there is no setrlimit (not Linux).
    /// </summary>
    public static long RaiseFileLimit(long wanted)
    {
        if (!OperatingSystem.IsLinux()) return -1;
        if (getrlimit(RlimitNofile, out var limit) != 0) return -1;
        if ((long)limit.Current >= wanted) return (long)limit.Current;
        var raised = new RLimit { Current = (ulong)wanted, Maximum = Math.Max(limit.Maximum, (ulong)wanted) };
        if (setrlimit(RlimitNofile, ref raised) != 0)
        {
            // Not allowed to raise the hard limit: take all of it.
            raised = new RLimit { Current = limit.Maximum, Maximum = limit.Maximum };
            setrlimit(RlimitNofile, ref raised);
        }
        return getrlimit(RlimitNofile, out limit) == 0 ? (long)limit.Current : -1;
    }

    /// <summary>Resident set size of process <paramref name="pid"/> (this one by default), in bytes, from /proc; -1 when unknown.</summary>
    public static long Rss(int? pid = null)
    {
        var path = pid is { } p ? $"/proc/{p}/status" : "/proc/self/status";
        try
        {
            foreach (var line in File.ReadLines(path))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return pid is null ? Environment.WorkingSet : -1;
    }

    /// <summary>Open socket descriptors of this process (entries of /proc/self/fd that are sockets); -1 when unknown.</summary>
    public static int Sockets()
    {
        try
        {
            var n = 0;
            foreach (var fd in Directory.EnumerateFiles("/proc/self/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal)) n++;
                }
                catch (IOException)
                {
                    // closed while we looked
                }
            }
            return n;
        }
        catch (DirectoryNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>Managed heap after a full, compacting collection.</summary>
    public static long ManagedAfterFullGc()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>
    /// TCP connections of this machine whose local port is <paramref name="localPort"/> on IPv4, from /proc/net/tcp:
    /// the remote port and the state (01 ESTABLISHED, 08 CLOSE_WAIT, ...). Diagnostics: which raw client a server
    /// still holds.
    /// </summary>
    public static List<(int RemotePort, string State)> TcpPeersOf(int localPort)
    {
        var peers = new List<(int, string)>();
        try
        {
            foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 4) continue;
                var local = parts[1].Split(':');
                var remote = parts[2].Split(':');
                if (int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != localPort) continue;
                peers.Add((int.Parse(remote[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), parts[3]));
            }
        }
        catch (IOException)
        {
        }
        return peers;
    }
}
