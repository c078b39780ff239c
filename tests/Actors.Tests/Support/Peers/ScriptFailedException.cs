namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>A <see cref="ScriptedServer"/> script threw; says which connection, wraps what it threw.</summary>
public sealed class ScriptFailedException : Exception
{
    /// <summary>Wraps <paramref name="inner"/>, thrown by the script of <paramref name="connection"/>.</summary>
    public ScriptFailedException(ScriptedConnection connection, Exception inner)
        : base($"Script for {connection} failed: {inner.GetType().Name}: {inner.Message}", inner)
    {
    }
}
