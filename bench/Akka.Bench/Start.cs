namespace ActorHttp.Akka.Bench;

/// <summary>Starts a measured run: count down <see cref="Count"/> messages, then complete <see cref="Done"/>.</summary>
public sealed record Start(int Count, TaskCompletionSource Done);
