namespace ActorHttp.Kernel;

/// <summary>The root (<c>/</c>): stops a failing guardian, and stops itself (so the system terminates) once <c>/user</c> is gone.</summary>
internal sealed class RootGuardianActor : ActorBase
{
    protected override void PreStart() => Context.Watch(Context.Child("user"));

    protected override bool Receive(object message)
    {
        if (message is not Terminated) return false;
        Context.Stop(Self);
        return true;
    }

    protected override SupervisorStrategy SupervisorStrategy() => Kernel.SupervisorStrategy.StoppingStrategy;
}
