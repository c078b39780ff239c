namespace ActorHttp.Cli.Bench;

/// <summary>
/// The runtime's switch that runs socket completions on its epoll threads instead of queueing them to the thread
/// pool (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c>), turned on for <c>actorhttp bench</c>'s process.
/// </summary>
/// <remarks>
/// <para>Why the load generator may: it runs no user code. A completion then runs the connection's turn
/// (<c>ActorCompletion</c>), the pool's after it, and the load loop the response resumes (the actor transport resumes
/// callers on the thread that read their response), which sends the next request — all on the epoll thread, as in
/// wrk's event loop, with no hand-off to a worker (a futex wake and a context switch) per response. The price is
/// the one every inline completion has: code that blocks there stalls every socket of that thread, so nothing the
/// loops run may block (they only await).</para>
/// <para>The runtime reads the variable once, when the first socket operation starts the socket engine, so this must
/// run before the transport is started. A value already in the environment is the user's choice and wins.</para>
/// </remarks>
internal static class InlineCompletions
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the switch to <paramref name="on"/> for this process, unless the environment already sets it.</summary>
    public static void Apply(bool on)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null) return;
        Environment.SetEnvironmentVariable(Variable, on ? "1" : "0");
    }
}
