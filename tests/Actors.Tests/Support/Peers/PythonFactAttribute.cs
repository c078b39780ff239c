namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// A <see cref="FactAttribute"/> that skips, with a reason, when python3 is not on the PATH
/// (xunit 2 cannot skip from inside a running test). CI installs python3, so there it runs.
/// </summary>
public sealed class PythonFactAttribute : FactAttribute
{
    /// <summary>Marks a test that needs <see cref="PythonHttpServer"/>.</summary>
    public PythonFactAttribute()
    {
        if (!PythonHttpServer.IsAvailable) Skip = "python3 is not on the PATH";
    }
}
