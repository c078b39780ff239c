using System.Text.Json;
using ActorHttp.Cli.Get;
using ActorHttp.Client;
using ActorHttp.Protocol;

namespace ActorHttp.Cli.Tests;

public class GetJsonTests
{
    private static readonly string[] Properties = ["ok", "status", "proto", "headers", "informational", "body_b64", "trailers", "error", "message"];

    private static ClientResponse Response(HttpProtocolVersion version = HttpProtocolVersion.Http11) => new(
        ClientRequest.Get("http://h/"), 200, "OK", version,
        HeaderCollection.FromFields([KeyValuePair.Create("Content-Type", "text/plain"), KeyValuePair.Create("Set-Cookie", "a=1"),
            KeyValuePair.Create("X-One", "x"), KeyValuePair.Create("set-cookie", "b=2")]),
        Stream.Null, [100, 103]);

    [Fact]
    public void A_success_has_every_property_with_the_documented_names_and_types()
    {
        var trailers = HeaderCollection.FromFields([KeyValuePair.Create("Checksum", "abc")]);
        var json = GetJson.Format(Response(), [0, 1, 2, 0xFF, (byte)'h'], trailers, null);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(Properties, root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal("HTTP/1.1", root.GetProperty("proto").GetString());
        Assert.Equal("AAEC/2g=", root.GetProperty("body_b64").GetString());
        Assert.Equal([100, 103], root.GetProperty("informational").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("message").ValueKind);
        Assert.Equal("abc", root.GetProperty("trailers").GetProperty("Checksum")[0].GetString());
        Assert.DoesNotContain('\n', json);
    }

    [Fact]
    public void Headers_map_each_name_to_its_values_in_received_order()
    {
        using var doc = JsonDocument.Parse(GetJson.Format(Response(), [], HeaderCollection.Empty, null));
        var headers = doc.RootElement.GetProperty("headers");
        Assert.Equal(["Content-Type", "Set-Cookie", "X-One"], headers.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["a=1", "b=2"], headers.GetProperty("Set-Cookie").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Object, doc.RootElement.GetProperty("trailers").ValueKind);
        Assert.Empty(doc.RootElement.GetProperty("trailers").EnumerateObject());
    }

    public static TheoryData<Exception, string> Failures => new()
    {
        { new HttpClientException(ClientErrorKind.Dial, "refused"), "dial" },
        { new HttpClientException(ClientErrorKind.ResponseHeaderTimeout, "slow"), "response_header_timeout" },
        { new HttpClientException(ClientErrorKind.TooManyRedirects, "loop"), "too_many_redirects" },
        { new OperationCanceledException("stop", new HttpClientException(ClientErrorKind.Canceled, "stop")), "canceled" },
        { new OperationCanceledException("stop"), "canceled" },
        { new IOException("disk full"), "io" },
    };

    [Theory, MemberData(nameof(Failures))]
    public void A_failure_before_any_response_names_its_kind(Exception error, string name)
    {
        using var doc = JsonDocument.Parse(GetJson.Format(null, [], HeaderCollection.Empty, error));
        var root = doc.RootElement;
        Assert.Equal(Properties, root.EnumerateObject().Select(p => p.Name));
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("status").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("proto").ValueKind);
        Assert.Equal("", root.GetProperty("body_b64").GetString());
        Assert.Equal(name, root.GetProperty("error").GetString());
        Assert.Equal(error.Message, root.GetProperty("message").GetString());
    }

    [Fact]
    public void A_failure_mid_body_keeps_the_head_and_the_bytes_read()
    {
        var error = new HttpClientException(ClientErrorKind.ConnectionReset, "reset");
        using var doc = JsonDocument.Parse(GetJson.Format(Response(HttpProtocolVersion.Http10), "par"u8.ToArray(), HeaderCollection.Empty, error));
        var root = doc.RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal("HTTP/1.0", root.GetProperty("proto").GetString());
        Assert.Equal("cGFy", root.GetProperty("body_b64").GetString());
        Assert.Equal("connection_reset", root.GetProperty("error").GetString());
    }

    [Fact]
    public void Every_error_kind_has_a_distinct_snake_case_name()
    {
        var names = Enum.GetValues<ClientErrorKind>().Select(ErrorName.Of).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(_[a-z0-9]+)*$", n));
        Assert.DoesNotContain(ErrorName.Io, names);
    }
}
