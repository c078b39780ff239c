using ActorHttp.Configuration;
using Akka.Configuration;
using Serilog;
using Serilog.Events;

namespace ActorHttp.Cli;

/// <summary>
/// The command-line tool's configuration: <c>--config FILE</c> over <c>config/actorhttp.conf</c> (shipped
/// beside the tool) over the tool's reference file (<c>hocon/cli.conf</c>) and the runtime's (<see cref="ReferenceConfig"/>).
/// It is also the tool's actor system's configuration, so <c>akka.*</c> keys set in those files apply too.
/// </summary>
internal static class CliConfig
{
    public static Config Load(FileInfo? file)
    {
        var overrides = Config.Empty;
        if (file is not null) overrides = Parse(file.FullName);
        var shipped = Path.Combine(AppContext.BaseDirectory, "config", "actorhttp.conf");
        if (File.Exists(shipped)) overrides = overrides.IsEmpty ? Parse(shipped) : overrides.WithFallback(Parse(shipped));
        var reference = ReferenceConfig.FromAssembly(typeof(CliConfig).Assembly).WithFallback(ReferenceConfig.Default);
        return overrides.IsEmpty ? reference : overrides.WithFallback(reference);
    }

    /// <summary>
    /// The actor system's configuration: <paramref name="config"/> with <c>akka.loglevel</c> following
    /// <c>actorhttp.cli.logging.level</c>, so that one setting says how much the tool logs.
    /// </summary>
    public static Config ForActorSystem(Config config)
    {
        var level = LoggingLevel(config) switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
            LogEventLevel.Information => "INFO",
            LogEventLevel.Warning => "WARNING",
            _ => "ERROR",
        };
        return ConfigurationFactory.ParseString($"akka.loglevel = {level}").WithFallback(config);
    }

    /// <summary>A Serilog logger as <c>actorhttp.cli.logging</c> says (console sink on standard error).</summary>
    public static ILogger CreateLogger(Config config)
    {
        var logging = new SettingsReader(config, "actorhttp.cli.logging");
        return new LoggerConfiguration()
            .MinimumLevel.Is(LoggingLevel(config))
            .WriteTo.Console(outputTemplate: logging.String("template"), standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
    }

    private static LogEventLevel LoggingLevel(Config config)
    {
        var logging = new SettingsReader(config, "actorhttp.cli.logging");
        var text = logging.String("level");
        return Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level)
            ? level
            : throw logging.Bad("level", $"'{text}' is not a Serilog level (verbose, debug, information, warning, error, fatal)");
    }

    private static Config Parse(string path)
    {
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e) when (e is not IOException and not ConfigurationException)
        {
            throw new ConfigurationException($"{path}: {e.Message}", e);
        }
    }
}
