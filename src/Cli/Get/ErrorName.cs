using System.Text;
using ActorHttp.Client;

namespace ActorHttp.Cli.Get;

/// <summary>
/// The names under which the client commands report failures: a <see cref="ClientErrorKind"/> in
/// snake_case (<c>ResponseHeaderTimeout</c> → <c>response_header_timeout</c>), or <see cref="Io"/>.
/// </summary>
internal static class ErrorName
{
    /// <summary>An I/O failure that did not come from the client: writing the output file, or a stream outside the client.</summary>
    public const string Io = "io";

    private static readonly string[] Names = Enum.GetValues<ClientErrorKind>().Select(k => SnakeCase(k.ToString())).ToArray();

    /// <summary>The snake_case name of <paramref name="kind"/>.</summary>
    public static string Of(ClientErrorKind kind) => Names[(int)kind];

    /// <summary>The client failure inside <paramref name="e"/>: itself, or the one a cancellation carries.</summary>
    public static HttpClientException? ClientFailure(Exception e) =>
        e as HttpClientException ?? e.InnerException as HttpClientException;

    /// <summary>The name reported for <paramref name="e"/>.</summary>
    public static string Of(Exception e) =>
        ClientFailure(e) is { } h ? Of(h.Kind) : e is OperationCanceledException ? Of(ClientErrorKind.Canceled) : Io;

    internal static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
