using System.Diagnostics.CodeAnalysis;

namespace ActorHttp.Server.Connection;

/// <summary>
/// The requests a connection has received and not started yet, in arrival order
/// (<see cref="ServerConnection.RequestReceived"/> or <see cref="ServerConnection.RequestRejected"/>): a FIFO that
/// holds one inline and makes a <see cref="Queue{T}"/> only when a second one waits.
/// </summary>
/// <remarks>
/// Without pipelining a request waits here only between its arrival and its start, in the same turn, so one
/// slot is all a connection needs; the queue (72 B with its array) would be kept by every idle keep-alive
/// connection. A struct living in its owner: keep it in a non-readonly field and never copy it.
/// </remarks>
internal struct PendingRequests
{
    // The oldest request; null only when none waits (the rest are then empty too).
    private object? _first;
    // The ones after it, oldest first; made when a second request waits.
    private Queue<object>? _rest;

    public readonly int Count => _first is null ? 0 : 1 + (_rest?.Count ?? 0);

    public void Enqueue(object request)
    {
        if (_first is null) _first = request;
        else (_rest ??= new Queue<object>()).Enqueue(request);
    }

    public bool TryDequeue([MaybeNullWhen(false)] out object request)
    {
        request = _first!;
        if (_first is null) return false;
        _first = _rest is { Count: > 0 } rest ? rest.Dequeue() : null;
        return true;
    }
}
