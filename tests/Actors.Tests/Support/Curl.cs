using System.Diagnostics;

namespace ActorHttp.Actors.Tests.Support;

/// <summary>Runs the curl binary as a real peer (installed by .ci/run when the machine lacks it).</summary>
public static class Curl
{
    public static bool IsAvailable { get; } = File.Exists("/usr/bin/curl") || File.Exists("/usr/local/bin/curl");

    /// <summary>Runs curl with <paramref name="args"/>; returns its standard output, throws on a non-zero exit.</summary>
    public static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--max-time");
        start.ArgumentList.Add("20");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0) throw new InvalidOperationException($"curl exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
