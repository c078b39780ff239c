using System.Text.Json;
using ActorHttp.Protocol;


namespace ActorHttp.Server.Handlers;

/// <summary>
/// httpbin's <c>/anything</c>: answers 200 with a JSON description of the request exactly as the
/// server parsed it. It is the conformance probe of <c>actorhttp serve</c> and the peer of the client's tests: tests and other clients
/// compare what they sent with what arrived.
/// </summary>
public static class AnythingHandler
{
    /// <summary>The handler: reads the whole body, then answers with the description.</summary>
    public static async Task HandleAsync(ResponseWriter w, ServerRequest r)
    {
        // Read the whole body (framing already removed by the server), then the trailers it carried.
        using var body = new MemoryStream();
        await r.Body.CopyToAsync(body, r.Aborted).ConfigureAwait(false);

        using var json = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("method", r.Method);
            writer.WriteString("target", r.RawTarget);
            writer.WriteString("path", r.Path);
            writer.WriteString("query", r.RawQuery ?? "");
            writer.WriteString("proto", r.Proto);
            writer.WriteString("host", r.Host);
            WriteFields(writer, "headers", r.Headers);
            writer.WriteString("body_b64", Convert.ToBase64String(body.GetBuffer(), 0, (int)body.Length));
            WriteFields(writer, "trailers", r.Trailers);
            writer.WriteEndObject();
        }

        w.Headers.Set("Content-Type", "application/json");
        await w.WriteAsync(json.GetBuffer().AsMemory(0, (int)json.Length)).ConfigureAwait(false);
    }

    // name → list of values in received order; names group case-insensitively under their first spelling.
    private static void WriteFields(Utf8JsonWriter writer, string property, HeaderCollection fields)
    {
        var grouped = new List<(string Name, List<string> Values)>();
        foreach (var field in fields)
        {
            var group = grouped.FindIndex(g => string.Equals(g.Name, field.Name, StringComparison.OrdinalIgnoreCase));
            if (group < 0) grouped.Add((field.Name, [field.Value]));
            else grouped[group].Values.Add(field.Value);
        }

        writer.WriteStartObject(property);
        foreach (var (name, values) in grouped)
        {
            writer.WriteStartArray(name);
            foreach (var value in values) writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
