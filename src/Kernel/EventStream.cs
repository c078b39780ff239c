using System.Collections.Concurrent;

namespace ActorHttp.Kernel;

/// <summary>
/// The system's publish/subscribe bus: an actor subscribes to a type and receives every published
/// event assignable to it (subclasses and interfaces included), at most once per event even when
/// several of its subscriptions match. Subscriptions of an actor are removed when it stops.
/// </summary>
public sealed class EventStream
{
    private readonly object _lock = new();
    private readonly ConcurrentDictionary<Type, IActorRef[]> _byEventType = new();
    private (IActorRef Subscriber, Type Channel)[] _subscriptions = [];

    /// <summary>Subscribes; returns false if that exact subscription already existed.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            foreach (var s in _subscriptions)
                if (s.Subscriber.Equals(subscriber) && s.Channel == channel) return false;
            _subscriptions = [.. _subscriptions, (subscriber, channel)];
            _byEventType.Clear();
            return true;
        }
    }

    /// <summary>Removes one subscription; returns whether it existed.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel) => Remove(s => s.Subscriber.Equals(subscriber) && s.Channel == channel);

    /// <summary>Removes all subscriptions of <paramref name="subscriber"/>; returns whether there were any.</summary>
    public bool Unsubscribe(IActorRef subscriber)
    {
        // Called for every stopping actor: skip the lock when it never subscribed.
        var subscribed = false;
        foreach (var s in Volatile.Read(ref _subscriptions))
            subscribed |= s.Subscriber.Equals(subscriber);
        return subscribed && RemoveAll(subscriber);
    }

    /// <summary>Publishes <paramref name="event"/> to every subscriber of a type it is assignable to.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        if (!_byEventType.TryGetValue(type, out var targets)) targets = Resolve(type);
        foreach (var target in targets) target.Tell(@event, ActorRefs.NoSender);
    }

    /// <summary>
    /// Whether an event of exactly <paramref name="eventType"/> would reach anyone: a publisher of
    /// frequent events checks this first and builds the event only when it would be delivered.
    /// </summary>
    public bool HasSubscribers(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        if (!_byEventType.TryGetValue(eventType, out var targets)) targets = Resolve(eventType);
        return targets.Length > 0;
    }

    // Apart from Publish: a lambda capturing the type there would allocate its closure on every
    // call, cache hit or not, and connections publish a state event per request.
    private IActorRef[] Resolve(Type type)
    {
        lock (_lock)
        {
            if (_byEventType.TryGetValue(type, out var targets)) return targets;
            targets = _subscriptions.Where(s => s.Channel.IsAssignableFrom(type)).Select(s => s.Subscriber).Distinct().ToArray();
            _byEventType[type] = targets;
            return targets;
        }
    }

    private bool RemoveAll(IActorRef subscriber) => Remove(s => s.Subscriber.Equals(subscriber));

    private bool Remove(Func<(IActorRef Subscriber, Type Channel), bool> match)
    {
        lock (_lock)
        {
            var kept = _subscriptions.Where(s => !match(s)).ToArray();
            if (kept.Length == _subscriptions.Length) return false;
            _subscriptions = kept;
            _byEventType.Clear();
            return true;
        }
    }
}
