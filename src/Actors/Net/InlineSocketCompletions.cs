namespace ActorHttp.Net;

/// <summary>
/// The runtime's process-wide switch that completes socket operations on its epoll threads instead
/// of queueing them to the thread pool (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>).
/// </summary>
/// <remarks>
/// <para>The runtime reads the variable once, when the process makes its first asynchronous socket
/// operation; <see cref="Apply"/> therefore works only before that (a program's first lines), and
/// is for programs that own their process: today <c>bench/Server --inline --runtime-engine</c>, whose
/// handlers run on the runtime's engine threads. (<c>actorhttp bench</c> once set it too; its load loops
/// are now actors on the event loops, where the runtime's engine is not involved.)</para>
/// <para>With it on, a completion's tell to an actor only enqueues the message (the actor's turn
/// runs on its own dispatcher, never on the runtime's epoll thread); but code that awaits a socket
/// operation resumes on the epoll thread, and must not block there.</para>
/// </remarks>
public static class InlineSocketCompletions
{
    /// <summary>The environment variable the runtime reads.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>True when this process's environment asks for inline completions.</summary>
    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>
    /// Turns the switch <paramref name="on"/> or off for this process, unless its environment already
    /// sets it (the user's choice wins). Effective only before the first asynchronous socket operation.
    /// </summary>
    public static void Apply(bool on)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null) return;
        Environment.SetEnvironmentVariable(Variable, on ? "1" : "0");
    }
}
