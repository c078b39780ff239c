namespace ActorHttp.Kernel;

/// <summary>
/// Marks a message whose arrival at a dead actor is expected and not worth a log line (Akka.NET's
/// interface of the same name): it is still published as a <see cref="DeadLetter"/> on the event
/// stream, but not logged.
/// </summary>
/// <remarks>
/// Typical case: the completion of an asynchronous operation (a socket read, a handler's task) that
/// outlives the actor that started it, because the actor was stopped while it ran.
/// </remarks>
public interface IDeadLetterSuppression;
