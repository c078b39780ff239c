using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

/// <summary>Each row: HOCON text, a path, and the value at that path rendered as HOCON (strings quoted).</summary>
public class SyntaxTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // separators
        { "a = 1", "a", "1" },
        { "a : 1", "a", "1" },
        { "a=1", "a", "1" },
        { "a { b = 1 }", "a.b", "1" },
        { "a{b=1}", "a.b", "1" },
        { "a =\n  1", "a", "1" },
        { "{ a = 1 }", "a", "1" },
        { "{\"a\": {\"b\": [1, 2.5, true, null, \"x\"]}}", "a.b", "[1, 2.5, true, null, \"x\"]" },
        // commas and newlines
        { "a = 1, b = 2", "b", "2" },
        { "a = 1\nb = 2", "b", "2" },
        { "a { x = 1, }", "a.x", "1" },
        { "a = [1, 2, 3]", "a", "[1, 2, 3]" },
        { "a = [1\n2\n3]", "a", "[1, 2, 3]" },
        { "a = [\n  1,\n  2,\n]", "a", "[1, 2]" },
        { "a = []", "a", "[]" },
        { "a = {}", "a", "{}" },
        // comments
        { "# c\na = 1 # c", "a", "1" },
        { "// c\na = 1 // c", "a", "1" },
        { "a = \"x # y\"", "a", "\"x # y\"" },
        { "a = \"x // y\"", "a", "\"x // y\"" },
        { "a = x/y//z", "a", "\"x/y\"" },
        // dotted and quoted keys
        { "a.b.c = 1", "a.b.c", "1" },
        { "a.b.c = 1", "a", "{\n  b {\n    c = 1\n  }\n}" },
        { "\"a.b\" = 1", "\"a.b\"", "1" },
        { "a.\"b.c\".d = 1", "a.\"b.c\".d", "1" },
        { "\"\" = 1", "\"\"", "1" },
        { "a b = 1", "\"a b\"", "1" },
        { "10.5 = x", "10.5", "\"x\"" },
        { "true = 1", "true", "1" },
        { "include = 1", "include", "1" },
        { "a-b_c = 1", "a-b_c", "1" },
        // merging
        { "a { x = 1 }\na { y = 2 }", "a", "{\n  x = 1\n  y = 2\n}" },
        { "a.x = 1\na.y = 2", "a", "{\n  x = 1\n  y = 2\n}" },
        { "a { x = 1 }\na = 5", "a", "5" },
        { "a = 5\na { y = 2 }", "a", "{\n  y = 2\n}" },
        { "a { x { p = 1 } }\na { x { q = 2 } }", "a.x", "{\n  p = 1\n  q = 2\n}" },
        { "a = 1\na = 2", "a", "2" },
        { "a = [1]\na = [2]", "a", "[2]" },
        // unquoted strings and concatenation
        { "a = foo", "a", "\"foo\"" },
        { "a = foo bar", "a", "\"foo bar\"" },
        { "a = foo   bar  ", "a", "\"foo   bar\"" },
        { "a = foo \"bar\" baz", "a", "\"foo bar baz\"" },
        { "a = 10 seconds", "a", "\"10 seconds\"" },
        { "a = 1 2 3", "a", "\"1 2 3\"" },
        { "a = true false", "a", "\"true false\"" },
        { "a = foo.bar-baz/qux", "a", "\"foo.bar-baz/qux\"" },
        { "a = 1.2.3", "a", "\"1.2.3\"" },
        { "a = [1, 2] [3]", "a", "[1, 2, 3]" },
        { "a = [1] \n", "a", "[1]" },
        { "a = { x = 1 } { y = 2 }", "a", "{\n  x = 1\n  y = 2\n}" },
        { "a = { x = 1 } { x = 2 }", "a.x", "2" },
        // literals
        { "a = 42", "a", "42" },
        { "a = -42", "a", "-42" },
        { "a = 1.5e3", "a", "1.5e3" },
        { "a = 1e+5", "a", "1e+5" },
        { "a = 1E-5", "a", "1E-5" },
        { "a = [1e+5, 2]", "a", "[1e+5, 2]" },
        { "a = true", "a", "true" },
        { "a = null", "a", "null" },
        { "a = \"42\"", "a", "\"42\"" },
        { "a = -foo", "a", "\"-foo\"" },
        // quoted strings and escapes
        { "a = \"\"", "a", "\"\"" },
        { "a = \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "a", "\"\\\"\\\\/\\b\\f\\n\\r\\t\"" },
        { "a = \"\\u00e9\\u0041\"", "a", "\"éA\"" },
        { "a = \"x:y=z{}[],+#\"", "a", "\"x:y=z{}[],+#\"" },
        // triple quotes
        { "a = \"\"\"x\ny \\n \"z\" \"\"\"", "a", "\"x\\ny \\\\n \\\"z\\\" \"" },
        { "a = \"\"\"\"x\"\"\"\"", "a", "\"\\\"x\\\"\"" },
        { "a = \"\"\"\"\"\"", "a", "\"\"" },
        { "a = \"\"\"x\"\"\"\"\"", "a", "\"x\\\"\\\"\"" },
        // whitespace kinds
        { "a\t=\t1", "a", "1" },
        { "\uFEFFa = 1", "a", "1" },
        { "a = 1\r\nb = 2\r\n", "b", "2" },
        { "a = x\u00A0y", "a", "\"x\u00A0y\"" },
        // += on a fresh key, and after an array
        { "a += 1", "a", "[1]" },
        { "a = [1]\na += 2\na += 3", "a", "[1, 2, 3]" },
        { "a += { x = 1 }", "a", "[{\n    x = 1\n  }]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parses(string hocon, string path, string expected)
    {
        var config = ConfigurationFactory.ParseString(hocon);
        Assert.Equal(expected, config.GetValue(path).ToString());
    }

    [Fact]
    public void KeysAreCaseSensitive()
    {
        var config = ConfigurationFactory.ParseString("a = 1\nA = 2");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("A"));
    }

    [Fact]
    public void KeysKeepDefinitionOrder()
    {
        var config = ConfigurationFactory.ParseString("z = 1\na = 2\nm { y = 3, b = 4 }\na = 5");
        Assert.Equal(["z", "a", "m.y", "m.b"], config.AsEnumerable().Select(kv => kv.Key));
    }

    [Fact]
    public void ToStringRendersParsableHocon()
    {
        var config = ConfigurationFactory.ParseString("a { b = \"x y\", \"c.d\" = [1, true, null], e {} }");
        var again = ConfigurationFactory.ParseString(config.ToString());
        Assert.Equal(config.ToString(), again.ToString());
        Assert.Equal("x y", again.GetString("a.b"));
        Assert.Equal(["1", "true"], again.GetValue("a.\"c.d\"") is HoconArray arr ? arr.Elements.Take(2).Select(e => ((HoconLiteral)e).Text) : []);
    }

    [Fact]
    public void ObjectMergeAtDepthIsLinear()
    {
        // 20,000 dotted keys into one object must not take quadratic time (a few ms, not seconds).
        var text = string.Join("\n", Enumerable.Range(0, 20_000).Select(i => $"a.b.k{i} = {i}"));
        var config = ConfigurationFactory.ParseString(text);
        Assert.Equal(19_999, config.GetInt("a.b.k19999"));
        Assert.Equal(20_000, config.GetConfig("a.b").AsEnumerable().Count());
    }
}
