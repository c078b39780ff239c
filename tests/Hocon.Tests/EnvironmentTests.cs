using ActorHttp.Hocon;

namespace ActorHttp.Hocon.Tests;

public sealed class EnvironmentTests : IDisposable
{
    // Unique names, so parallel tests and the machine's own environment cannot interfere.
    private readonly string _name = "HOCON_TEST_" + Guid.NewGuid().ToString("N").ToUpperInvariant();

    public EnvironmentTests() => Environment.SetEnvironmentVariable(_name, "from-env");

    public void Dispose() => Environment.SetEnvironmentVariable(_name, null);

    [Fact]
    public void AnUndefinedPathFallsBackToTheEnvironment()
    {
        var config = ConfigurationFactory.ParseString($"a = ${{?{_name}}}\nb = ${{{_name}}}\nc = ${{{_name}}}-suffix\nd = [${{?{_name}}}]");
        Assert.Equal("from-env", config.GetString("a"));
        Assert.Equal("from-env", config.GetString("b"));
        Assert.Equal("from-env-suffix", config.GetString("c"));
        Assert.Equal(["from-env"], config.GetStringList("d"));
    }

    [Fact]
    public void AMissingOptionalEnvironmentVariableLeavesTheKeyUndefined()
    {
        var config = ConfigurationFactory.ParseString($"a = ${{?{_name}_ABSENT}}\nb = 1\nb = ${{?{_name}_ABSENT}}");
        Assert.False(config.HasPath("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void TheConfigurationWinsOverTheEnvironmentEvenWithNull()
    {
        var config = ConfigurationFactory.ParseString($"{_name} = mine\na = ${{{_name}}}");
        Assert.Equal("mine", config.GetString("a"));
        config = ConfigurationFactory.ParseString($"{_name} = null\na = ${{?{_name}}}");
        Assert.True(config.IsNull("a"));
    }

    [Fact]
    public void EnvironmentValuesConvertOnRead()
    {
        Environment.SetEnvironmentVariable(_name + "_PORT", "8080");
        Environment.SetEnvironmentVariable(_name + "_TIMEOUT", "3s");
        try
        {
            var config = ConfigurationFactory.ParseString($"port = 80\nport = ${{?{_name}_PORT}}\ntimeout = ${{?{_name}_TIMEOUT}}");
            Assert.Equal(8080, config.GetInt("port"));
            Assert.Equal(TimeSpan.FromSeconds(3), config.GetTimeSpan("timeout"));
            Assert.Null(config.GetValue("port").Position);
        }
        finally
        {
            Environment.SetEnvironmentVariable(_name + "_PORT", null);
            Environment.SetEnvironmentVariable(_name + "_TIMEOUT", null);
        }
    }
}
