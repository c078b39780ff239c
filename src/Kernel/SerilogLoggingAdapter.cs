using Serilog;
using Serilog.Events;

namespace ActorHttp.Kernel;

/// <summary>The <see cref="ILoggingAdapter"/> backed by a Serilog <see cref="ILogger"/> (already enriched with the actor path or system name).</summary>
public sealed class SerilogLoggingAdapter : ILoggingAdapter
{
    private readonly ILogger _logger;

    /// <summary>Wraps <paramref name="logger"/>.</summary>
    public SerilogLoggingAdapter(ILogger logger) => _logger = logger;

    /// <inheritdoc />
    public bool IsDebugEnabled => _logger.IsEnabled(LogEventLevel.Debug);

    /// <inheritdoc />
    public bool IsInfoEnabled => _logger.IsEnabled(LogEventLevel.Information);

    /// <inheritdoc />
    public bool IsWarningEnabled => _logger.IsEnabled(LogEventLevel.Warning);

    /// <inheritdoc />
    public bool IsErrorEnabled => _logger.IsEnabled(LogEventLevel.Error);

    /// <inheritdoc />
    public void Debug(string template, params object?[] args) => _logger.Debug(template, args);

    /// <inheritdoc />
    public void Info(string template, params object?[] args) => _logger.Information(template, args);

    /// <inheritdoc />
    public void Warning(string template, params object?[] args) => _logger.Warning(template, args);

    /// <inheritdoc />
    public void Warning(Exception cause, string template, params object?[] args) => _logger.Warning(cause, template, args);

    /// <inheritdoc />
    public void Error(string template, params object?[] args) => _logger.Error(template, args);

    /// <inheritdoc />
    public void Error(Exception cause, string template, params object?[] args) => _logger.Error(cause, template, args);
}
