namespace ActorHttp.Client.Settings;

/// <summary>
/// One block of <c>actorhttp.client.hosts</c>: the hosts it applies to and the settings they get
/// (the block over the client-wide defaults).
/// </summary>
public sealed record HostOverride(HostPattern Pattern, HostSettings Settings);
