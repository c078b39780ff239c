namespace ActorHttp.Akka.Bench;

/// <summary>The preallocated message every benchmark sends, so the figures exclude allocating messages.</summary>
public sealed class Ball
{
    public static readonly Ball Instance = new();
}
