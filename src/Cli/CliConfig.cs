using ActorHttp.Hocon;
using Serilog;
using Serilog.Events;

namespace ActorHttp.Cli;

/// <summary>
/// The command-line tool's configuration: <c>--config FILE</c> over <c>config/actorhttp.conf</c> (shipped
/// beside the tool) over the reference files of every assembly (<c>hocon/</c>).
/// </summary>
internal static class CliConfig
{
    public static Config Load(FileInfo? file)
    {
        var overrides = Config.Empty;
        if (file is not null) overrides = ConfigurationFactory.ParseFile(file.FullName);
        var shipped = Path.Combine(AppContext.BaseDirectory, "config", "actorhttp.conf");
        if (File.Exists(shipped)) overrides = overrides.WithFallback(ConfigurationFactory.ParseFile(shipped));
        return ConfigurationFactory.Load(overrides,
            typeof(CliConfig).Assembly,
            typeof(ActorHttp.Kernel.ActorSystem).Assembly,
            typeof(ActorHttp.Protocol.HttpParserLimits).Assembly,
            typeof(ActorHttp.Server.ServerSettings).Assembly);
    }

    /// <summary>A Serilog logger as <c>actorhttp.cli.logging</c> says (console sink on standard error).</summary>
    public static ILogger CreateLogger(Config config)
    {
        var logging = config.GetConfig("actorhttp.cli.logging");
        var level = Enum.Parse<LogEventLevel>(logging.GetString("level"), ignoreCase: true);
        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.Console(outputTemplate: logging.GetString("template"), standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
    }
}
