namespace ActorHttp.Cli;

/// <summary>
/// Where a command writes: results on <see cref="Out"/>, diagnostics on <see cref="Error"/>, and
/// binary bodies on <see cref="RawOut"/> when there is one (the process's standard output), else as
/// UTF-8 text on <see cref="Out"/> (tests pass a <see cref="StringWriter"/>).
/// </summary>
/// <param name="Out">Standard output as text.</param>
/// <param name="Error">Standard error.</param>
/// <param name="RawOut">Standard output as bytes; null to write bodies as text on <paramref name="Out"/>.</param>
/// <param name="IsInteractive">True when standard output is a terminal (live progress is drawn only then).</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, Stream? RawOut, bool IsInteractive)
{
    /// <summary>The process's console.</summary>
    public static CliConsole System() =>
        new(Console.Out, Console.Error, Console.OpenStandardOutput(), !Console.IsOutputRedirected);
}
