namespace ActorHttp.Kernel;

/// <summary>An <see cref="UntypedActor"/> behaviour: every message counts as handled unless it calls <c>Unhandled</c>.</summary>
public delegate void UntypedReceive(object message);
