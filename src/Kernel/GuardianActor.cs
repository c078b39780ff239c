namespace ActorHttp.Kernel;

/// <summary>The <c>/user</c> and <c>/system</c> guardians: parents of top-level actors, with the default strategy; they handle no messages.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected override bool Receive(object message) => false;
}
