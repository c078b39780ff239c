using System.Text;
using System.Text.Json;
using ActorHttp.Client;
using ActorHttp.Protocol;

namespace ActorHttp.Cli.Get;

/// <summary>
/// The one JSON object <c>actorhttp get --json</c> prints. Every property is always present, so a
/// script can index without checks:
/// <c>ok</c> (true when the status line, headers and whole body were read without error),
/// <c>status</c> (number, null when no response head arrived), <c>proto</c> ("HTTP/1.1", "HTTP/1.0" or null),
/// <c>headers</c> (name as first received → list of values in received order; names grouped case-insensitively),
/// <c>informational</c> (the 1xx codes before the final response, in order),
/// <c>body_b64</c> (the body, decoded from gzip/deflate when the client asked for it; on failure, the part read),
/// <c>trailers</c> (same shape as headers),
/// and <c>error</c> / <c>message</c>: null when ok, else the failure's name (<see cref="ErrorName"/>) and its text.
/// </summary>
internal static class GetJson
{
    /// <summary>Writes the object, one line, without trailing newline.</summary>
    public static string Format(ClientResponse? response, byte[] body, HeaderCollection trailers, Exception? error)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", error is null);
            if (response is null)
            {
                w.WriteNull("status");
                w.WriteNull("proto");
            }
            else
            {
                w.WriteNumber("status", response.StatusCode);
                w.WriteString("proto", GetRunner.Proto(response.Version));
            }
            w.WritePropertyName("headers");
            WriteFields(w, response?.Headers ?? HeaderCollection.Empty);
            w.WriteStartArray("informational");
            foreach (var code in response?.Informational ?? []) w.WriteNumberValue(code);
            w.WriteEndArray();
            w.WriteBase64String("body_b64", body);
            w.WritePropertyName("trailers");
            WriteFields(w, trailers);
            if (error is null)
            {
                w.WriteNull("error");
                w.WriteNull("message");
            }
            else
            {
                w.WriteString("error", ErrorName.Of(error));
                w.WriteString("message", error.Message);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteFields(Utf8JsonWriter w, HeaderCollection fields)
    {
        // Grouped by name, case-insensitively, keeping the spelling and the position of the first.
        var groups = new List<(string Name, List<string> Values)>();
        foreach (var field in fields)
        {
            var group = groups.FindIndex(g => string.Equals(g.Name, field.Name, StringComparison.OrdinalIgnoreCase));
            if (group < 0) groups.Add((field.Name, [field.Value]));
            else groups[group].Values.Add(field.Value);
        }
        w.WriteStartObject();
        foreach (var (name, values) in groups)
        {
            w.WriteStartArray(name);
            foreach (var value in values) w.WriteStringValue(value);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
