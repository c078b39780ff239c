using System.Text;

namespace ActorHttp.Faults;

/// <summary>Diagnostics for chasing a finding: with the environment variable FAULTS_TRACE set, faults say which requests misbehaved, on standard error.</summary>
public static class Trace
{
    /// <summary>True when FAULTS_TRACE is set.</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("FAULTS_TRACE") is { Length: > 0 };

    /// <summary>Writes a line to standard error.</summary>
    public static void Write(string line)
    {
        lock (Console.Error) Console.Error.WriteLine(line);
    }

    /// <summary>Bytes as printable text: \r, \n, \xNN; cut at 300 characters.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            if (text.Length > 300) { text.Append("...(").Append(bytes.Length).Append(" bytes)"); break; }
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }
        return text.ToString();
    }
}
