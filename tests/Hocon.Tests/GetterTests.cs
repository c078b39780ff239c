using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

public class GetterTests
{
    private static readonly Config Sample = ConfigurationFactory.ParseString("""
        s = hello
        n = 42
        big = 5000000000
        neg = -7
        f = 1.5
        sn = "17"
        e = 1e3
        t = true
        on = on
        off = off
        yes = yes
        no = no
        nul = null
        list = [a, 1, true]
        badlist = [a, [b]]
        obj { x = 1, "y.z" = 2 }
        """);

    [Fact]
    public void TypedGettersReadTheirTypes()
    {
        Assert.Equal("hello", Sample.GetString("s"));
        Assert.Equal("42", Sample.GetString("n"));
        Assert.Equal("true", Sample.GetString("t"));
        Assert.Equal(42, Sample.GetInt("n"));
        Assert.Equal(17, Sample.GetInt("sn"));
        Assert.Equal(-7, Sample.GetInt("neg"));
        Assert.Equal(1000, Sample.GetInt("e"));
        Assert.Equal(5_000_000_000L, Sample.GetLong("big"));
        Assert.Equal(1.5, Sample.GetDouble("f"));
        Assert.Equal(42.0, Sample.GetDouble("n"));
        Assert.True(Sample.GetBoolean("t"));
        Assert.True(Sample.GetBoolean("on"));
        Assert.True(Sample.GetBoolean("yes"));
        Assert.False(Sample.GetBoolean("off"));
        Assert.False(Sample.GetBoolean("no"));
        Assert.Equal(["a", "1", "true"], Sample.GetStringList("list"));
        Assert.Equal(2, Sample.GetInt("obj.\"y.z\""));
        Assert.Equal(1, Sample.GetConfig("obj").GetInt("x"));
    }

    [Fact]
    public void HasPathAndIsNull()
    {
        Assert.True(Sample.HasPath("s"));
        Assert.True(Sample.HasPath("obj"));
        Assert.False(Sample.HasPath("nope"));
        Assert.False(Sample.HasPath("s.deeper"));
        Assert.False(Sample.HasPath("nul"));
        Assert.True(Sample.IsNull("nul"));
        Assert.False(Sample.IsNull("s"));
        Assert.Equal(ConfigErrorKind.Missing, Assert.Throws<ConfigException>(() => Sample.IsNull("nope")).Kind);
    }

    public static TheoryData<string, Func<Config, object>, ConfigErrorKind> Errors => new()
    {
        { "nope", c => c.GetString("nope"), ConfigErrorKind.Missing },
        { "obj.nope", c => c.GetInt("obj.nope"), ConfigErrorKind.Missing },
        { "s.x", c => c.GetInt("s.x"), ConfigErrorKind.Missing },
        { "obj", c => c.GetString("obj"), ConfigErrorKind.WrongType },
        { "list", c => c.GetString("list"), ConfigErrorKind.WrongType },
        { "nul", c => c.GetString("nul"), ConfigErrorKind.WrongType },
        { "s", c => c.GetInt("s"), ConfigErrorKind.WrongType },
        { "f", c => c.GetInt("f"), ConfigErrorKind.WrongType },
        { "big", c => c.GetInt("big"), ConfigErrorKind.BadValue },
        { "s", c => c.GetDouble("s"), ConfigErrorKind.WrongType },
        { "n", c => c.GetBoolean("n"), ConfigErrorKind.WrongType },
        { "s", c => c.GetStringList("s"), ConfigErrorKind.WrongType },
        { "badlist", c => c.GetStringList("badlist"), ConfigErrorKind.WrongType },
        { "s", c => c.GetConfig("s"), ConfigErrorKind.WrongType },
        { "s", c => c.GetTimeSpan("s"), ConfigErrorKind.BadValue },
        { "s", c => c.GetByteSize("s"), ConfigErrorKind.BadValue },
        { "obj", c => c.GetTimeSpan("obj"), ConfigErrorKind.WrongType },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void GetterErrorsNameThePathAndKind(string path, Func<Config, object> get, ConfigErrorKind kind)
    {
        var e = Assert.Throws<ConfigException>(() => get(Sample));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(path, e.Path);
        Assert.Contains($"'{path}'", e.Message);
    }

    [Fact]
    public void WrongTypeNamesTheSourcePosition()
    {
        var config = ConfigurationFactory.ParseString("a {\n  b = [1]\n}", "app.conf");
        var e = Assert.Throws<ConfigException>(() => config.GetConfig("a").GetString("b"));
        Assert.Equal("a.b", e.Path);
        Assert.Equal(new SourcePosition("app.conf", 2, 7), e.Position);
        Assert.StartsWith("app.conf:2:7: path 'a.b': expected a string, found an array", e.Message);
    }

    [Fact]
    public void MissingInASubConfigNamesTheFullPath()
    {
        var e = Assert.Throws<ConfigException>(() => Sample.GetConfig("obj").GetString("q"));
        Assert.Equal("obj.q", e.Path);
        Assert.True(e.IsMissing);
    }

    [Fact]
    public void GetConfigOfAMissingPathIsEmpty()
    {
        var sub = Sample.GetConfig("nothing.here");
        Assert.True(sub.IsEmpty);
        Assert.Equal("nothing.here.x", Assert.Throws<ConfigException>(() => sub.GetString("x")).Path);
    }

    [Fact]
    public void BadPathExpressionIsAConfigException()
    {
        Assert.Equal(ConfigErrorKind.BadPath, Assert.Throws<ConfigException>(() => Sample.GetString("a..b")).Kind);
        Assert.Equal(ConfigErrorKind.BadPath, Assert.Throws<ConfigException>(() => Sample.GetString("")).Kind);
        Assert.Equal(ConfigErrorKind.BadPath, Assert.Throws<ConfigException>(() => Sample.GetString("a.")).Kind);
    }

    [Fact]
    public void AsEnumerableListsEveryLeafWithItsPath()
    {
        var config = ConfigurationFactory.ParseString("a { b = 1, \"c.d\" { e = [1] } }\nf = null\ng {}");
        Assert.Equal(["a.b", "a.\"c.d\".e", "f"], config.AsEnumerable().Select(kv => kv.Key));
    }

    [Fact]
    public void EmptyConfig()
    {
        Assert.True(Config.Empty.IsEmpty);
        Assert.True(ConfigurationFactory.Empty.IsEmpty);
        Assert.True(ConfigurationFactory.ParseString("").IsEmpty);
        Assert.True(ConfigurationFactory.ParseString("# only a comment\n").IsEmpty);
        Assert.False(Sample.IsEmpty);
        Assert.Empty(Config.Empty.AsEnumerable());
    }

    [Fact]
    public void ConfigIsSafeToReadFromManyThreads()
    {
        var config = ConfigurationFactory.ParseString("a = ${b}\nb = 5\nc = ${a}");
        var results = new int[64];
        Parallel.For(0, results.Length, i => results[i] = config.GetInt("c"));
        Assert.All(results, r => Assert.Equal(5, r));
    }
}
