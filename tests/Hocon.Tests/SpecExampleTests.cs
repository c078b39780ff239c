using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

/// <summary>
/// The examples of the HOCON specification (lightbend/config HOCON.md). Each row is a document, a
/// path and the expected value rendered as HOCON, or a second document it must equal.
/// </summary>
public class SpecExampleTests
{
    public static TheoryData<string, string, string> Values => new()
    {
        // Key-value separator: "foo" {} means "foo" : {}
        { "\"foo\" {}", "foo", "{}" },
        // Commas
        { "a = [1,2,3,]", "a", "[1, 2, 3]" },
        { "a = [1\n2\n3]", "a", "[1, 2, 3]" },
        // Duplicate keys: an intermediate null prevents the object merge
        { "{ \"foo\" : { \"a\" : 42 }, \"foo\" : null, \"foo\" : { \"b\" : 43 } }", "foo", "{\n  b = 43\n}" },
        // Unquoted strings: embedded booleans and numbers are part of the string
        { "a = truefoo", "a", "\"truefoo\"" },
        { "a = footrue", "a", "\"footrue\"" },
        { "a = 10.0bar", "a", "\"10.0bar\"" },
        { "a = bar10.0", "a", "\"bar10.0\"" },
        // Multi-line strings: extra quotes belong to the string
        { "a = \"\"\"foo\"\"\"\"", "a", "\"foo\\\"\"" },
        // String value concatenation
        { "a =  foo bar baz ", "a", "\"foo bar baz\"" },
        { "a = true foo", "a", "\"true foo\"" },
        { "a = null x", "a", "\"null x\"" },
        { "a = 1e5 x", "a", "\"1e5 x\"" },
        // Arrays without commas or newlines
        { "a = [ 1 2 3 4 ]", "a", "[\"1 2 3 4\"]" },
        { "a = [ 1\n 2\n 3\n 4 ]", "a", "[1, 2, 3, 4]" },
        { "a = [ [ 1, 2 ] [ 3, 4 ] ]", "a", "[[1, 2, 3, 4]]" },
        { "a = [ [ 1, 2 ]\n [ 3, 4 ] ]", "a", "[[1, 2], [3, 4]]" },
        { "name = Bob\nworld = Earth\na = [ This is an unquoted string my name is ${name}, Hello ${world} ]", "a",
            "[\"This is an unquoted string my name is Bob\", \"Hello Earth\"]" },
        { "a1 = 1, b1 = 2, x1 = 3, y1 = 4\nv = [ ${a1} ${b1}, ${x1} ${y1} ]", "v", "[\"1 2\", \"3 4\"]" },
        // Path expressions
        { "10.0foo = 1", "10.\"0foo\"", "1" },
        { "foo10.0 = 1", "foo10.0", "1" },
        { "foo\"10.0\" = 1", "\"foo10.0\"", "1" },
        { "1.2.3 = 1", "1.2.3", "1" },
        { "a.\"\".b = 1", "a.\"\".b", "1" },
        // Paths as keys
        { "a b c : 42", "\"a b c\"", "42" },
        { "true : 42", "\"true\"", "42" },
        { "3 : 42", "\"3\"", "42" },
        { "3.14 : 42", "\"3\".\"14\"", "42" },
        { "{ foo include : 42 }", "\"foo include\"", "42" },
        { "{ foo : include }", "foo", "\"include\"" },
        { "a = [ include ]", "a", "[\"include\"]" },
        { "{ \"include\" : 42 }", "include", "42" },
        // Substitutions: quoting around them
        { "animal.favorite = cat\nkey : ${animal.favorite} is my favorite animal", "key", "\"cat is my favorite animal\"" },
        { "animal.favorite = cat\nkey : ${animal.favorite}\" is my favorite animal\"", "key", "\"cat is my favorite animal\"" },
        // Optional substitutions
        { "foo : ${?bar}", "foo", "<undefined>" },
        { "foo : ${?bar}${?baz}", "foo", "<undefined>" },
        // Self-referential substitutions
        { "path : \"a:b:c\"\npath : ${path}\":d\"", "path", "\"a:b:c:d\"" },
        { "foo : { a : 1 }\nfoo : ${foo}", "foo", "{\n  a = 1\n}" },
        { "foo : ${?foo}", "foo", "<undefined>" },
        { "foo : ${does-not-exist}\nfoo : 42", "foo", "42" },
        { "foo : ${foo}, foo : 42", "foo", "42" },
        { "foo : { a : { c : 1 } }\nfoo : ${foo.a}\nfoo : { a : 2 }", "foo", "{\n  a = 2\n  c = 1\n}" },
        { "bar : { foo : 42,\n baz : ${bar.foo}\n }", "bar.baz", "42" },
        { "bar : { foo : 42,\n baz : ${bar.foo}\n }\nbar : { foo : 43 }", "bar.baz", "43" },
        { "bar : { a : ${foo.d}, b : 1 }\nbar.b = 3\nfoo : { c : ${bar.b}, d : 2 }\nfoo.d = 4", "bar.a", "4" },
        { "bar : { a : ${foo.d}, b : 1 }\nbar.b = 3\nfoo : { c : ${bar.b}, d : 2 }\nfoo.d = 4", "foo.c", "3" },
        { "a = ${?a}foo", "a", "\"foo\"" },
        // += field separator
        { "a += b", "a", "[\"b\"]" },
        // Object "inheritance" and adding to paths
        { "data-center-generic = { cluster-size = 6 }\ndata-center-east = ${data-center-generic} { name = \"east\" }", "data-center-east",
            "{\n  cluster-size = 6\n  name = \"east\"\n}" },
        { "path = [ /bin ]\npath = ${path} [ /usr/bin ]", "path", "[\"/bin\", \"/usr/bin\"]" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Example(string hocon, string path, string expected)
    {
        Assert.Equal(expected, SubstitutionTests.Render(ConfigurationFactory.ParseString(hocon), path));
    }

    public static TheoryData<string, string> Equivalents => new()
    {
        { "{ \"foo\" : { \"a\" : 42 }, \"foo\" : { \"b\" : 43 } }", "{ \"foo\" : { \"a\" : 42, \"b\" : 43 } }" },
        { "foo.bar : 42", "foo { bar : 42 }" },
        { "foo.bar.baz : 42", "foo { bar { baz : 42 } }" },
        { "a.x : 42, a.y : 43", "a { x : 42, y : 43 }" },
        { "a : { b : 1 } { c : 2 }", "a : { b : 1, c : 2 }" },
        { "a : { b : 1 }\na : { c : 2 }", "a : { b : 1, c : 2 }" },
        { "a : [ 1, 2 ] [ 3, 4 ]", "a : [ 1, 2, 3, 4 ]" },
        { "a : [ 1, 2 ]\na : ${a} [ 3, 4 ]", "a : [ 1, 2, 3, 4 ]" },
        { "a = foo bar", "a = \"foo bar\"" },
        // a JSON document means what it means in JSON
        { "{\"a\": 1, \"b\": [true, false, null], \"c\": {\"d\": \"e\\u0041\"}, \"f\": -1.5e-3}",
          "a = 1\nb = [true, false, null]\nc.d = eA\nf = -1.5e-3" },
    };

    [Theory]
    [MemberData(nameof(Equivalents))]
    public void Equivalent(string left, string right)
    {
        Assert.Equal(ConfigurationFactory.ParseString(right).ToString(), ConfigurationFactory.ParseString(left).ToString());
    }

    [Fact]
    public void MergingIsDoneInPairs()
    {
        // { a : { x : 1 } } over { a : 42 } over { a : { y : 2 } }: 42 hides the last object.
        var first = ConfigurationFactory.ParseString("a : { x : 1 }");
        var second = ConfigurationFactory.ParseString("a : 42");
        var third = ConfigurationFactory.ParseString("a : { y : 2 }");
        Assert.Equal("{\n  x = 1\n}", first.WithFallback(second).WithFallback(third).GetValue("a").ToString());
        Assert.Equal("{\n  x = 1\n}", first.WithFallback(second.WithFallback(third)).GetValue("a").ToString());
        // re-ordered, the two objects are adjacent and merge (a fallback's keys count as defined first)
        Assert.Equal("{\n  y = 2\n  x = 1\n}", first.WithFallback(third).WithFallback(second).GetValue("a").ToString());
    }

    [Fact]
    public void CyclesAreErrors()
    {
        foreach (var text in new[] { "bar : ${foo}\nfoo : ${bar}", "a : ${b}\nb : ${c}\nc : ${a}", "foo : ${foo}", "a : { b : ${a} }" })
            Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseString(text).Resolve());
    }
}
