using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorHttp.Dispatch;

/// <summary>
/// The Akka mailbox type of ActorHttp's connection actors: it gives each actor a
/// <see cref="CompactMessageQueue"/>, which is about a kilobyte smaller than Akka's default queue
/// while empty.
/// </summary>
/// <remarks>
/// Configured as <c>actorhttp.dispatch.compact-mailbox</c> (hocon/dispatch.conf) and chosen by
/// <c>Props.WithMailbox("actorhttp.dispatch.compact-mailbox")</c>, or for every actor of the event
/// loops by <c>actorhttp.dispatch.event-loop.mailbox-type</c>. It satisfies the requirements of
/// unbounded queues and of <see cref="IWithUnboundedStash"/> (deque semantics).
/// </remarks>
public sealed class CompactMailbox : MailboxType, IProducesMessageQueue<CompactMessageQueue>
{
    /// <summary>The mailbox id to give <c>Props.WithMailbox</c> (a section of hocon/dispatch.conf).</summary>
    public const string Id = "actorhttp.dispatch.compact-mailbox";

    /// <summary>Made by Akka's <see cref="Mailboxes"/> from a mailbox section; the section has no keys of its own.</summary>
    public CompactMailbox(Settings settings, Config config)
        : base(settings, config)
    {
    }

    /// <inheritdoc />
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactMessageQueue();
}
