using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

public class FallbackTests
{
    [Fact]
    public void OverridesWinAndObjectsMerge()
    {
        var reference = ConfigurationFactory.ParseString("a { x = 1, y = 2, deep { p = 1, q = 2 } }\nb = [1]\nc = 3");
        var app = ConfigurationFactory.ParseString("a { y = 20, deep { q = 22 } }\nb = [9]\nd = 4");
        var config = app.WithFallback(reference);
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(20, config.GetInt("a.y"));
        Assert.Equal(1, config.GetInt("a.deep.p"));
        Assert.Equal(22, config.GetInt("a.deep.q"));
        Assert.Equal(["9"], config.GetStringList("b"));
        Assert.Equal(3, config.GetInt("c"));
        Assert.Equal(4, config.GetInt("d"));
        // neither input changed
        Assert.Equal(2, reference.GetInt("a.y"));
        Assert.False(app.HasPath("a.x"));
    }

    [Fact]
    public void ANonObjectHidesAFallbackObject()
    {
        var config = ConfigurationFactory.ParseString("a = 5").WithFallback(ConfigurationFactory.ParseString("a { x = 1 }"));
        Assert.Equal(5, config.GetInt("a"));
        Assert.False(config.HasPath("a.x"));
    }

    [Fact]
    public void FallbackChainsAndEmpties()
    {
        var a = ConfigurationFactory.ParseString("k = a");
        var b = ConfigurationFactory.ParseString("k = b, m = b");
        var c = ConfigurationFactory.ParseString("k = c, m = c, n = c");
        var config = a.WithFallback(b).WithFallback(c);
        Assert.Equal("a b c", $"{config.GetString("k")} {config.GetString("m")} {config.GetString("n")}");
        Assert.Equal("a", a.WithFallback(Config.Empty).GetString("k"));
        Assert.Equal("a", Config.Empty.WithFallback(a).GetString("k"));
    }

    [Fact]
    public void SubConfigWithFallback()
    {
        var config = ConfigurationFactory.ParseString("server { port = 80 }");
        var merged = config.GetConfig("server").WithFallback(ConfigurationFactory.ParseString("port = 1, host = h"));
        Assert.Equal(80, merged.GetInt("port"));
        Assert.Equal("h", merged.GetString("host"));
    }
}
