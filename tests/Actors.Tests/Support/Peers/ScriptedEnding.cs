namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>How a <see cref="ScriptedConnection"/> has been ended from the server's side.</summary>
public enum ScriptedEnding
{
    /// <summary>Still open in both directions.</summary>
    None,
    /// <summary>FIN sent (<see cref="ScriptedConnection.CloseAsync"/>).</summary>
    Closed,
    /// <summary>RST sent (<see cref="ScriptedConnection.Reset"/>).</summary>
    Reset,
}
