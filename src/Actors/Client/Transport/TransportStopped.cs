using Akka.Actor;
using Akka.Event;

namespace ActorHttp.Client.Transport;

/// <summary>
/// What a stopping transport tells the requests it will never run: one typed error (<see cref="ClientErrorKind.Canceled"/>,
/// "the transport shut down", with nothing written), and the hand-back of requests still in a stopping actor's mailbox.
/// </summary>
/// <remarks>
/// Why the mailbox: an actor that stops leaves the messages it had not received to dead letters, and a caller whose
/// request is among them would wait out its whole deadline (the transport-stops fault found 64 callers waiting 5 s).
/// In <c>PostStop</c> the mailbox is still open, so the requests in it are answered from there; the rest go on to dead
/// letters as before. Requests sent after the stop are refused by <see cref="ActorTransport"/> itself.
/// </remarks>
internal static class TransportStopped
{
    /// <summary>The failure of <paramref name="request"/>, which the stopped transport will not run.</summary>
    public static HttpClientException Error(ClientRequest? request) =>
        new(ClientErrorKind.Canceled, "The transport was stopped; the request was not sent.", request, requestWritten: false);

    /// <summary>Answers every round trip left in the stopping actor's mailbox with <see cref="Error"/>; other messages go to dead letters,
    /// as they would have. Call from <c>PostStop</c> only.</summary>
    public static void FailUnreceived(IActorContext context)
    {
        if (context is not ActorCell { Mailbox: { } mailbox }) return;
        while (mailbox.MessageQueue.TryDequeue(out var envelope))
        {
            switch (envelope.Message)
            {
                case TransportActor.RoundTrip m:
                    (m.ReplyTo ?? envelope.Sender).Tell(new Status.Failure(Error(m.Request)), ActorRefs.NoSender);
                    break;
                case ClientRequest request:
                    envelope.Sender.Tell(new Status.Failure(Error(request)), ActorRefs.NoSender);
                    break;
                default:
                    context.System.DeadLetters.Tell(new DeadLetter(envelope.Message, envelope.Sender ?? ActorRefs.NoSender, context.Self), ActorRefs.NoSender);
                    break;
            }
        }
    }
}
