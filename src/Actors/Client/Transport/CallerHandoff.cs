namespace ActorHttp.Client.Transport;

/// <summary>
/// Resumes callers on the thread that read their responses, after the actor turns that thread ran: a read
/// completion opens a scope around the turns it runs in place, replies to <see cref="CallerPromise"/>s told meanwhile
/// are held, and closing the scope (outside every turn) completes them, running the callers' continuations right
/// there instead of queueing one thread-pool work item each.
/// </summary>
/// <remarks>
/// A scope opened inside a turn (a read that completed at once) is empty when it closes: the turns that could
/// reply to it run after that turn, outside the scope. Scopes nest (a resumed caller may start the next request,
/// whose read may complete at once); each closes over only the replies told while it was the innermost.
/// </remarks>
internal static class CallerHandoff
{
    [ThreadStatic] private static List<CallerPromise>? _held;
    [ThreadStatic] private static List<CallerPromise>? _spare;

    /// <summary>Opens a scope on this thread; disposing it resumes the callers replied to meanwhile.</summary>
    public static Scope Open()
    {
        var outer = _held;
        _held = _spare ?? new List<CallerPromise>(2);
        _spare = null;
        return new Scope(outer);
    }

    /// <summary>Holds <paramref name="promise"/> until the innermost scope of this thread closes; false when none is open.</summary>
    public static bool TryDefer(CallerPromise promise)
    {
        if (_held is not { } held) return false;
        held.Add(promise);
        return true;
    }

    /// <summary>An open scope (see <see cref="Open"/>).</summary>
    public readonly struct Scope(List<CallerPromise>? outer) : IDisposable
    {
        public void Dispose()
        {
            var held = _held!;
            _held = outer;
            // The callers run with this scope closed and its list back in the spare slot, so what they start (the
            // next request, perhaps a nested scope) neither lands here nor allocates a list of its own.
            switch (held.Count)
            {
                case 0:
                    _spare ??= held;
                    break;
                case 1:
                    var only = held[0];
                    held.Clear();
                    _spare ??= held;
                    only.Complete();
                    break;
                default:
                    var all = held.ToArray();
                    held.Clear();
                    _spare ??= held;
                    foreach (var promise in all) promise.Complete();
                    break;
            }
        }
    }
}
