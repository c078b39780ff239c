using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

/// <summary>Each row: HOCON text, a path, and the resolved value rendered as HOCON.</summary>
public class SubstitutionTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // simple, forward and backward references
        { "a = 1\nb = ${a}", "b", "1" },
        { "b = ${a}\na = 1", "b", "1" },
        { "a { x = 1 }\nb = ${a}", "b.x", "1" },
        { "a { x = 1 }\nb = ${a.x}", "b", "1" },
        { "b = ${a.x}\na { x = hi }", "b", "\"hi\"" },
        { "a = ${b}\nb = ${c}\nc = end", "a", "\"end\"" },
        { "x { y = 1, z = ${x.y} }", "x.z", "1" },
        { "\"a.b\" = 1\nc = ${\"a.b\"}", "c", "1" },
        { "a { \"b c\" = 1 }\nd = ${a.\"b c\"}", "d", "1" },
        { "a = 1\nb = ${ a }", "b", "1" },
        // the type of the substituted value is kept
        { "a = [1, 2]\nb = ${a}", "b", "[1, 2]" },
        { "a = true\nb = ${a}", "b", "true" },
        { "a = null\nb = ${a}", "b", "null" },
        // optional
        { "a = ${?nope}", "a", "<undefined>" },
        { "a = 1\na = ${?nope}", "a", "1" },
        { "a = ${?b}\nb = 2", "a", "2" },
        { "a = [1, ${?nope}, 2]", "a", "[1, 2]" },
        { "a { x = ${?nope} }", "a", "{}" },
        // string concatenation
        { "a = foo\nb = ${a} bar", "b", "\"foo bar\"" },
        { "a = foo\nb = ${a}bar", "b", "\"foobar\"" },
        { "a = foo\nb = \"x\"${a}\"y\"", "b", "\"xfooy\"" },
        { "a = 1\nb = ${a}.${a}", "b", "\"1.1\"" },
        { "a = 10\nb = ${a} seconds", "b", "\"10 seconds\"" },
        { "b = x ${?nope} y", "b", "\"x  y\"" },
        { "b = x ${?nope}", "b", "\"x \"" },
        // array and object concatenation
        { "a = [1, 2]\nb = ${a} [3]", "b", "[1, 2, 3]" },
        { "a = [1, 2]\nb = [0] ${a}", "b", "[0, 1, 2]" },
        { "a = [1]\nb = ${a} ${a}", "b", "[1, 1]" },
        { "base { x = 1, y = 2 }\nb = ${base} { y = 3 }", "b", "{\n  x = 1\n  y = 3\n}" },
        { "base { x = 1 }\nb = ${base}\nb { y = 3 }", "b", "{\n  x = 1\n  y = 3\n}" },
        { "base { x = 1 }\nb { y = 3 }\nb = ${base}", "b", "{\n  y = 3\n  x = 1\n}" },
        { "b { y = 3 }\nb = ${?nope}", "b.y", "3" },
        // self-references and +=
        { "a = [1]\na = ${a} [2]", "a", "[1, 2]" },
        { "a = [1]\na = ${a} [2]\na = ${a} [3]", "a", "[1, 2, 3]" },
        { "a = [1]\na += 2", "a", "[1, 2]" },
        { "p = /bin\np = ${p}\":/usr/bin\"", "p", "\"/bin:/usr/bin\"" },
        { "a { x = 1 }\na = ${a} { y = 2 }", "a", "{\n  x = 1\n  y = 2\n}" },
        { "a { b = 1 }\na { b = ${a.b} 2 }", "a.b", "\"1 2\"" },
        { "a = ${?a} [1]", "a", "[1]" },
        { "a = 1\nb = ${a}\na = 2", "b", "2" },
        { "x = 1\nx = ${x}\n", "x", "1" },
        // substitutions inside arrays and objects
        { "a = 1\nb = [${a}, ${a}]", "b", "[1, 1]" },
        { "a = 1\nb = [{ x = ${a} }]", "b", "[{\n    x = 1\n  }]" },
        { "a = 1\nb { c { d = ${a} } }", "b.c.d", "1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves(string hocon, string path, string expected)
    {
        var config = ConfigurationFactory.ParseString(hocon);
        Assert.Equal(expected, Render(config, path));
    }

    internal static string Render(Config config, string path)
    {
        try
        {
            return config.GetValue(path).ToString();
        }
        catch (ConfigException e) when (e.IsMissing)
        {
            return "<undefined>";
        }
    }

    [Fact]
    public void FallbackValuesCanBeSubstituted()
    {
        var app = ConfigurationFactory.ParseString("client { timeout = ${defaults.timeout}, name = ${defaults.name}-app }");
        var reference = ConfigurationFactory.ParseString("defaults { timeout = 5s, name = base }");
        var config = app.WithFallback(reference);
        Assert.Equal(TimeSpan.FromSeconds(5), config.GetTimeSpan("client.timeout"));
        Assert.Equal("base-app", config.GetString("client.name"));
    }

    [Fact]
    public void AFallbackSubstitutionSeesTheOverride()
    {
        var reference = ConfigurationFactory.ParseString("base-port = 80\nserver.port = ${base-port}");
        var app = ConfigurationFactory.ParseString("base-port = 8080");
        Assert.Equal(8080, app.WithFallback(reference).GetInt("server.port"));
        Assert.Equal(80, reference.GetInt("server.port"));
    }

    [Fact]
    public void SelfReferenceAcrossFallback()
    {
        var reference = ConfigurationFactory.ParseString("list = [a, b]");
        var app = ConfigurationFactory.ParseString("list = ${list} [c]\nlist += d");
        Assert.Equal(["a", "b", "c", "d"], app.WithFallback(reference).GetStringList("list"));
    }

    [Fact]
    public void AnOverrideObjectMergesWithAFallbackSubstitution()
    {
        var reference = ConfigurationFactory.ParseString("defaults { x = 1, y = 1 }\npool = ${defaults}");
        var app = ConfigurationFactory.ParseString("pool { y = 2 }");
        var config = app.WithFallback(reference);
        Assert.Equal(1, config.GetInt("pool.x"));
        Assert.Equal(2, config.GetInt("pool.y"));
    }

    [Fact]
    public void SubstitutionsAreResolvedOncePerConfig()
    {
        // A long chain resolves in linear time and every link sees the same value.
        var text = "k0 = start\n" + string.Join("\n", Enumerable.Range(1, 2000).Select(i => $"k{i} = ${{k{i - 1}}}"));
        var config = ConfigurationFactory.ParseString(text);
        Assert.Equal("start", config.GetString("k2000"));
        Assert.Equal("start", config.GetString("k1000"));
    }

    [Fact]
    public void AnAkkaStyleReferenceFile()
    {
        var config = ConfigurationFactory.ParseString("""
            # the server's defaults
            actorhttp {
              server {
                # how long a connection may stay idle between requests
                idle-timeout = 75s
                max-header-bytes = 64k
                request-timeout = infinite
                default-host-header = "example.com:80"
                dispatcher = ${actorhttp.dispatchers.default}
                dispatcher.throughput = 10
                headers = [ "Server: actorhttp" ]
              }
              dispatchers.default { type = pinned, throughput = 5 }
            }
            actorhttp.server.headers += "X-Frame-Options: DENY"
            """, "reference.conf");
        var server = config.GetConfig("actorhttp.server");
        Assert.Equal(TimeSpan.FromSeconds(75), server.GetTimeSpan("idle-timeout"));
        Assert.Equal(65536, server.GetByteSize("max-header-bytes"));
        Assert.Equal(Timeout.InfiniteTimeSpan, server.GetTimeSpan("request-timeout"));
        Assert.Equal("example.com:80", server.GetString("default-host-header"));
        Assert.Equal("pinned", server.GetString("dispatcher.type"));
        Assert.Equal(10, server.GetInt("dispatcher.throughput"));
        Assert.Equal(["Server: actorhttp", "X-Frame-Options: DENY"], server.GetStringList("headers"));
    }
}
