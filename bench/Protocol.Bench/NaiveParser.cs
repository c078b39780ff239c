using System.Text;

namespace ActorHttp.Protocol.Bench;

/// <summary>
/// The string-splitting parser people write first: decode the head to a string, split lines,
/// split on ':' into a dictionary. The baseline where Kestrel has no counterpart (responses).
/// </summary>
public static class NaiveParser
{
    public static (string StartLine, Dictionary<string, string> Headers, int HeadLength) Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = text[..end].Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':');
            headers[lines[i][..colon]] = lines[i][(colon + 1)..].Trim();
        }
        return (lines[0], headers, end + 4);
    }

    public static byte[] Write(string startLine, (string Name, string Value)[] headers, byte[] body)
    {
        var sb = new StringBuilder(startLine).Append("\r\n");
        foreach (var (name, value) in headers) sb.Append(name).Append(": ").Append(value).Append("\r\n");
        sb.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(sb.ToString()), .. body];
    }
}
