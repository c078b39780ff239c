using System.Text.Json;

namespace ActorHttp.Actors.Tests.Peers;

/// <summary>Deadlines and clients shared by the peer tests.</summary>
internal static class PeerTesting
{
    /// <summary>Every wait in these tests is bounded by this; a hang fails instead of stalling CI.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>An HttpClient on SocketsHttpHandler with no automatic redirects or decompression unless asked.</summary>
    public static HttpClient NewHttpClient(Action<SocketsHttpHandler>? configure = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
        };
        configure?.Invoke(handler);
        return new HttpClient(handler) { Timeout = Deadline };
    }

    /// <summary>Parses a JSON body.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return doc.RootElement.Clone();
    }

    /// <summary>The string values of a name → list JSON object property, the name matched case-insensitively.</summary>
    public static string[] List(this JsonElement map, string name) =>
        map.EnumerateObject().Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.EnumerateArray().Select(v => v.GetString()!)).ToArray();
}
