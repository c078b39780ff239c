namespace ActorHttp.Kernel;

/// <summary>Marks a message whose arrival does not count as activity for <see cref="IActorContext.SetReceiveTimeout"/>.</summary>
public interface INotInfluenceReceiveTimeout
{
}
