namespace ActorHttp.Kernel;

/// <summary><c>Context.GetLogger()</c>: a logger that tags every event with the actor's path and type.</summary>
public static class LoggingExtensions
{
    /// <summary>Returns a logger for the actor owning <paramref name="context"/> (properties <c>ActorPath</c> and <c>SourceContext</c>).</summary>
    public static ILoggingAdapter GetLogger(this IActorContext context) =>
        new SerilogLoggingAdapter(context.System.Logger
            .ForContext("ActorPath", context.Self.Path.ToString())
            .ForContext(Serilog.Core.Constants.SourceContextPropertyName, context.Props.ActorType.FullName));
}
