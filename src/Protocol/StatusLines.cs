using System.Text;

namespace ActorHttp.Protocol;

/// <summary>
/// Pre-encoded HTTP/1.1 status lines (CRLF included) for every code with a registered reason,
/// so writing a response's first line is one copy.
/// </summary>
internal static class StatusLines
{
    private static readonly byte[]?[] Http11 = Build();

    /// <summary>The cached <c>HTTP/1.1 code reason CRLF</c>, or null for an uncommon code.</summary>
    public static byte[]? Get(int statusCode) =>
        statusCode is >= 100 and < 600 ? Http11[statusCode - 100] : null;

    private static byte[]?[] Build()
    {
        var table = new byte[]?[500];
        for (int code = 100; code < 600; code++)
        {
            var reason = ReasonPhrases.For(code);
            if (reason.Length > 0) table[code - 100] = Encoding.ASCII.GetBytes($"HTTP/1.1 {code} {reason}\r\n");
        }
        return table;
    }
}
