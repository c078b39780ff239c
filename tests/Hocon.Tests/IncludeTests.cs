using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

public sealed class IncludeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hocon-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void IncludesAFileRelativeToTheIncludingFile()
    {
        Write("sub/child.conf", "x = 1\ny = child");
        var main = Write("main.conf", "include \"sub/child.conf\"\ny = main");
        var config = ConfigurationFactory.ParseFile(main);
        Assert.Equal(1, config.GetInt("x"));
        Assert.Equal("main", config.GetString("y"));
    }

    [Fact]
    public void IncludedKeysOverrideEarlierAndAreOverriddenByLaterOnes()
    {
        Write("inc.conf", "a { x = inc, y = inc }\nb = inc");
        var main = Write("main.conf", "a { x = before, z = before }\nb = before\ninclude \"inc.conf\"\na.y = after");
        var config = ConfigurationFactory.ParseFile(main);
        Assert.Equal("inc", config.GetString("a.x"));
        Assert.Equal("after", config.GetString("a.y"));
        Assert.Equal("before", config.GetString("a.z"));
        Assert.Equal("inc", config.GetString("b"));
    }

    [Theory]
    [InlineData("include file(\"inc.conf\")")]
    [InlineData("include file( \"inc.conf\" )")]
    [InlineData("include required(file(\"inc.conf\"))")]
    [InlineData("include required( file(\"inc.conf\") )")]
    [InlineData("include required(\"inc.conf\")")]
    [InlineData("include \"inc\"")]
    [InlineData("include\n  \"inc.conf\"")]
    public void IncludeForms(string include)
    {
        Write("inc.conf", "v = 42");
        var config = ConfigurationFactory.ParseFile(Write("main.conf", include));
        Assert.Equal(42, config.GetInt("v"));
    }

    [Fact]
    public void AMissingIncludeIsIgnoredUnlessRequired()
    {
        var config = ConfigurationFactory.ParseFile(Write("main.conf", "include \"nope.conf\"\ninclude file(\"nope.conf\")\na = 1"));
        Assert.Equal(1, config.GetInt("a"));

        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(Write("req.conf", "a = 1\ninclude required(file(\"nope.conf\"))")));
        Assert.Equal(ConfigErrorKind.Include, e.Kind);
        Assert.Equal(2, e.Position!.Value.Line);
        Assert.Contains("nope.conf", e.Message);
    }

    [Fact]
    public void IncludeInsideAnObjectFixesUpSubstitutions()
    {
        // The HOCON spec's example: ${x} in foo.conf means ${a.x} when included under a, and sees a redefinition of a.x.
        Write("foo.conf", "{ x : 10, y : ${x} }");
        var config = ConfigurationFactory.ParseFile(Write("main.conf", "{ a : { include \"foo.conf\" } }"));
        Assert.Equal(10, config.GetInt("a.y"));

        config = ConfigurationFactory.ParseFile(Write("main2.conf", "{\n a : { include \"foo.conf\" }\n a : { x : 42 }\n}"));
        Assert.Equal(42, config.GetInt("a.y"));
    }

    [Fact]
    public void AnIncludedSubstitutionFallsBackToTheRootPath()
    {
        Write("inc.conf", "port = ${default-port}\nlist += 3");
        var config = ConfigurationFactory.ParseFile(Write("main.conf", "default-port = 80\nserver { list = [1, 2]\ninclude \"inc.conf\" }"));
        Assert.Equal(80, config.GetInt("server.port"));
        Assert.Equal(["1", "2", "3"], config.GetStringList("server.list"));
    }

    [Fact]
    public void IncludesNestAndCyclesAreCaught()
    {
        Write("a.conf", "a = 1\ninclude \"b.conf\"");
        Write("b.conf", "b = 2\ninclude \"c/c.conf\"");
        Write("c/c.conf", "c = 3");
        var config = ConfigurationFactory.ParseFile(Path.Combine(_dir, "a.conf"));
        Assert.Equal(6, config.GetInt("a") + config.GetInt("b") + config.GetInt("c"));

        var loop = Write("loop.conf", "include \"loop.conf\"");
        var e = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseFile(loop));
        Assert.Contains("loop.conf", e.Message);
    }

    [Fact]
    public void IncludedArrayRootIsAnError()
    {
        Write("arr.conf", "[1, 2]");
        var e = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseFile(Write("main.conf", "include \"arr.conf\"")));
        Assert.StartsWith(Path.Combine(_dir, "arr.conf") + ":1:1:", e.Message);
    }

    [Fact]
    public void ParseErrorsInAnIncludedFileNameThatFile()
    {
        Write("bad.conf", "a = 1\nb = }");
        var e = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseFile(Write("main.conf", "include \"bad.conf\"")));
        Assert.Equal(new SourcePosition(Path.Combine(_dir, "bad.conf"), 2, 5), e.Position);
    }

    [Fact]
    public void IncludesAnEmbeddedResource()
    {
        var config = ConfigurationFactory.ParseString("outer { include resource(\"hocon-tests/included.conf\") }\nouter.nested.value = 8");
        Assert.True(config.GetBoolean("outer.from-resource"));
        Assert.Equal(8, config.GetInt("outer.nested.ref")); // fixed up to outer.nested.value
        Assert.Equal("here", config.GetString("outer.sibling")); // relative include between resources
        Assert.Equal(ConfigErrorKind.Include, Assert.Throws<ConfigException>(
            () => ConfigurationFactory.ParseString("include required(resource(\"hocon-tests/none.conf\"))")).Kind);
        Assert.True(ConfigurationFactory.ParseString("include classpath(\"hocon-tests/sibling.conf\")").HasPath("sibling"));
    }

    [Fact]
    public void FromResourceAndUrlIncludes()
    {
        var config = ConfigurationFactory.FromResource(typeof(IncludeTests).Assembly, "hocon-tests/included.conf");
        Assert.Equal("here", config.GetString("sibling"));
        Assert.Equal(7, config.GetInt("nested.ref"));
        Assert.Equal(ConfigErrorKind.Include, Assert.Throws<ConfigException>(
            () => ConfigurationFactory.FromResource(typeof(IncludeTests).Assembly, "nope")).Kind);
        Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseString("include url(\"http://example.com/a.conf\")"));
    }

    [Fact]
    public void ParseFileOfAMissingFileFails()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigurationFactory.ParseFile(Path.Combine(_dir, "absent.conf")));
        Assert.Equal(ConfigErrorKind.Include, e.Kind);
    }

    [Theory]
    [InlineData("include 5")]
    [InlineData("include foo(\"x\")")]
    [InlineData("include file(\"x\"")]
    [InlineData("include file(resource(\"x\"))")]
    public void MalformedIncludes(string text)
    {
        // "include foo(" is not an include function, so it reads as a key and fails there.
        Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseString(text));
    }
}
