using System.CommandLine;
using ActorHttp.Cli.Bench;
using ActorHttp.Cli.Get;
using ActorHttp.Configuration;
using Akka.Configuration;

namespace ActorHttp.Cli.Tests;

public class ArgumentTests
{
    private static readonly BenchSettings Defaults = BenchSettings.FromConfig(CliConfig.Load(null));

    public static TheoryData<string, double> Durations => new()
    {
        { "10s", 10 }, { "500ms", 0.5 }, { "1.5s", 1.5 }, { "2m", 120 }, { "1h", 3600 }, { "250us", 0.00025 },
        { "10", 10 }, { "0s", 0 }, { " 3s ", 3 },
    };

    [Theory, MemberData(nameof(Durations))]
    public void Durations_parse(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationArgument.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("-1s")]
    [InlineData("1e3s")]
    [InlineData("ten seconds")]
    [InlineData("5s.")]
    public void Bad_durations_are_rejected(string text) => Assert.Throws<FormatException>(() => DurationArgument.Parse(text));

    [Theory]
    [InlineData("Accept: text/plain", "Accept", "text/plain")]
    [InlineData("X-Empty:", "X-Empty", "")]
    [InlineData("X-Spaces:   a b  ", "X-Spaces", "a b")]
    [InlineData("X-Colon: a:b:c", "X-Colon", "a:b:c")]
    [InlineData("X-Tab:\tv", "X-Tab", "v")]
    public void Headers_parse(string text, string name, string value) =>
        Assert.Equal(KeyValuePair.Create(name, value), HeaderArgument.Parse(text));

    [Theory]
    [InlineData("no colon")]
    [InlineData(": value")]
    [InlineData("Bad Name: v")]
    [InlineData("Name : v")]
    public void Bad_headers_are_rejected(string text) => Assert.Throws<FormatException>(() => HeaderArgument.Parse(text));

    [Fact]
    public void Repeated_headers_keep_their_order_through_the_parser()
    {
        var command = GetCommand.Create();
        var r = command.Parse(["http://h/", "-H", "A: 1", "-H", "B: 2", "--header", "A: 3", "-d", "x=y"]);
        Assert.Empty(r.Errors);
        var headers = r.GetValueForOption(command.Options.OfType<Option<string[]>>().Single())!;
        var args = GetCommand.Bind("http://h/", null, headers, "x=y", null, false, false, null, null, false);
        Assert.Equal([KeyValuePair.Create("A", "1"), KeyValuePair.Create("B", "2"), KeyValuePair.Create("A", "3")], args.Headers);
        Assert.Equal("POST", args.Method);
        Assert.Equal("x=y"u8.ToArray(), args.Data);
    }

    [Theory]
    [InlineData(null, null, "GET")]
    [InlineData(null, "d", "POST")]
    [InlineData("PUT", "d", "PUT")]
    [InlineData("DELETE", null, "DELETE")]
    public void The_method_defaults_like_curls(string? method, string? data, string expected) =>
        Assert.Equal(expected, GetCommand.Bind("http://h/", method, [], data, null, false, false, null, null, false).Method);

    [Fact]
    public void Get_rejects_bad_usage()
    {
        var file = new FileInfo(typeof(ArgumentTests).Assembly.Location);
        Assert.Throws<FormatException>(() => GetCommand.Bind("ftp://h/", null, [], null, null, false, false, null, null, false));
        Assert.Throws<FormatException>(() => GetCommand.Bind("/relative", null, [], null, null, false, false, null, null, false));
        Assert.Throws<FormatException>(() => GetCommand.Bind("http://h/", null, [], "d", file, false, false, null, null, false));
        Assert.Throws<FormatException>(() => GetCommand.Bind("http://h/", "GE T", [], null, null, false, false, null, null, false));
        Assert.Throws<FormatException>(() => GetCommand.Bind("http://h/", null, [], null, null, false, false, null, -1, false));
        Assert.Throws<FormatException>(() => GetCommand.Bind("http://h/", null, ["X: a\u0001"], null, null, false, false, null, null, false));
        Assert.Equal(TimeSpan.FromSeconds(2.5), GetCommand.Bind("http://h/", null, [], null, null, false, false, null, 2.5, false).Timeout);
    }

    [Fact]
    public void Bench_fills_in_defaults_from_configuration()
    {
        var args = BenchCommand.Bind(Defaults, "http://h/x", null, null, null, null, null, null, null, false);
        Assert.Equal(Defaults.Concurrency, args.Concurrency);
        Assert.Equal(args.Concurrency, args.MaxConns);
        Assert.Equal(Defaults.Duration, args.Duration);
        Assert.Null(args.Requests);
        Assert.Equal(Defaults.Warmup, args.Warmup);
        Assert.Equal("GET", args.Method);
    }

    [Fact]
    public void Inline_completions_leave_a_value_already_in_the_environment_alone()
    {
        // Only the "already set" path runs here: setting it for real would reach the child processes other tests start.
        const string variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, "0");
        try
        {
            ActorHttp.Net.InlineSocketCompletions.Apply(true);
            Assert.Equal("0", Environment.GetEnvironmentVariable(variable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    [Fact]
    public void Bench_reads_its_options()
    {
        var args = BenchCommand.Bind(Defaults, "http://h/x", 64, 8, null, "500ms", "2s", null, "body", true);
        Assert.Equal((64, 8, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), "POST", true),
            (args.Concurrency, args.MaxConns, args.Duration!.Value, args.Warmup, args.Method, args.ResultLine));
        var counted = BenchCommand.Bind(Defaults, "http://h/x", 4, null, 1000, null, "0s", "HEAD", null, false);
        Assert.Equal((1000L, (TimeSpan?)null, 4, "HEAD"), (counted.Requests!.Value, counted.Duration, counted.MaxConns, counted.Method));
    }

    [Fact]
    public void Bench_rejects_bad_usage()
    {
        Assert.Throws<FormatException>(() => BenchCommand.Bind(Defaults, "http://h/", null, null, 10, "1s", null, null, null, false));
        Assert.Throws<FormatException>(() => BenchCommand.Bind(Defaults, "http://h/", 0, null, null, null, null, null, null, false));
        Assert.Throws<FormatException>(() => BenchCommand.Bind(Defaults, "http://h/", 1, 0, null, null, null, null, null, false));
        Assert.Throws<FormatException>(() => BenchCommand.Bind(Defaults, "http://h/", 1, null, 0, null, null, null, null, false));
        Assert.Throws<FormatException>(() => BenchCommand.Bind(Defaults, "http://h/", 1, null, null, "0s", null, null, null, false));
        Assert.Throws<FormatException>(() => BenchCommand.Bind(Defaults, "http://h/", 1, null, null, "fast", null, null, null, false));
    }

    [Fact]
    public void Every_cli_setting_is_read()
    {
        // Each key of actorhttp.cli.get and .bench is read by the commands; a key added to cli.conf but not read fails here.
        var config = CliConfig.Load(null);
        var read = new HashSet<string>();
        BenchSettings.Read(new SettingsReader(config, BenchSettings.Section, read));
        var bench = SettingsReader.LeafKeys(config.GetConfig(BenchSettings.Section)).Select(k => $"{BenchSettings.Section}.{k}");
        Assert.Equal(bench.Order(StringComparer.Ordinal), read.Order(StringComparer.Ordinal));
        var get = SettingsReader.LeafKeys(config.GetConfig("actorhttp.cli.get"));
        Assert.Equal(["timeout"], get);
        Assert.True(new SettingsReader(config, "actorhttp.cli.get").Duration("timeout") > TimeSpan.Zero);
    }

    [Fact]
    public void Bad_bench_settings_are_rejected()
    {
        var bad = ConfigurationFactory.ParseString("actorhttp.cli.bench.concurrency = 0");
        Assert.Equal("actorhttp.cli.bench.concurrency", Assert.Throws<SettingsException>(() => BenchSettings.FromConfig(bad.WithFallback(CliConfig.Load(null)))).Path);
    }
}
