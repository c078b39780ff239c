using ActorHttp.Client;
using Akka.Actor;

namespace ActorHttp.Cli;

/// <summary>
/// The seam between the client commands and the transport they run on: makes the
/// <see cref="IRoundTripper"/> for an actor system and the client settings in force. The commands
/// dispose what it returns when it is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>.
/// </summary>
public delegate IRoundTripper RoundTripperFactory(ActorSystem system, ClientSettings settings);
