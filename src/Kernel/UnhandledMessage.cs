namespace ActorHttp.Kernel;

/// <summary>An event published on the event stream when an actor did not handle a message (see <c>ActorBase.Unhandled</c>).</summary>
/// <param name="Message">The message.</param>
/// <param name="Sender">Its sender.</param>
/// <param name="Recipient">The actor that did not handle it.</param>
public sealed record UnhandledMessage(object Message, IActorRef Sender, IActorRef Recipient);
