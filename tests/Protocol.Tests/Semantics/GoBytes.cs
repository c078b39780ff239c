using System.Text;

namespace ActorHttp.Protocol.Tests.Semantics;

/// <summary>
/// Decodes a Go string literal's escapes (written in a C# verbatim string) into bytes, so tables
/// ported from Go read as in Go: \xHH is exactly two hex digits (C#'s \x takes up to four, which
/// would turn "\x00AVI" into one character), \n \r \t \\ are as usual, and any other character is
/// UTF-8, as in Go source files.
/// </summary>
internal static class GoBytes
{
    public static byte[] Decode(string literal)
    {
        var bytes = new List<byte>(literal.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < literal.Length; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                var n = Encoding.UTF8.GetBytes(literal.AsSpan(i, char.IsHighSurrogate(c) ? 2 : 1), utf8);
                bytes.AddRange(utf8[..n].ToArray());
                if (char.IsHighSurrogate(c))
                {
                    i++;
                }

                continue;
            }

            var e = literal[++i];
            switch (e)
            {
                case 'x':
                    bytes.Add(Convert.ToByte(literal.Substring(i + 1, 2), 16));
                    i += 2;
                    break;
                case 'n': bytes.Add((byte)'\n'); break;
                case 'r': bytes.Add((byte)'\r'); break;
                case 't': bytes.Add((byte)'\t'); break;
                case '\\': bytes.Add((byte)'\\'); break;
                default: throw new ArgumentException($"unsupported escape \\{e}");
            }
        }

        return [.. bytes];
    }
}
