namespace ActorHttp.Kernel;

/// <summary>A logger for actors and the system (Akka's shape), with Serilog message templates.</summary>
public interface ILoggingAdapter
{
    /// <summary>Whether debug events are written.</summary>
    bool IsDebugEnabled { get; }

    /// <summary>Whether information events are written.</summary>
    bool IsInfoEnabled { get; }

    /// <summary>Whether warnings are written.</summary>
    bool IsWarningEnabled { get; }

    /// <summary>Whether errors are written.</summary>
    bool IsErrorEnabled { get; }

    /// <summary>Writes a debug event.</summary>
    void Debug(string template, params object?[] args);

    /// <summary>Writes an information event.</summary>
    void Info(string template, params object?[] args);

    /// <summary>Writes a warning.</summary>
    void Warning(string template, params object?[] args);

    /// <summary>Writes a warning with an exception.</summary>
    void Warning(Exception cause, string template, params object?[] args);

    /// <summary>Writes an error.</summary>
    void Error(string template, params object?[] args);

    /// <summary>Writes an error with an exception.</summary>
    void Error(Exception cause, string template, params object?[] args);
}
