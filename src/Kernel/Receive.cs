namespace ActorHttp.Kernel;

/// <summary>An actor behaviour: handles a message and returns whether it did (false makes the message unhandled).</summary>
public delegate bool Receive(object message);
