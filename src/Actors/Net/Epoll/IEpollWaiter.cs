namespace ActorHttp.Net.Epoll;

/// <summary>An operation parked on an <see cref="EpollSocket"/> until its direction becomes ready.</summary>
internal interface IEpollWaiter
{
    /// <summary>Runs on the loop's thread once, when the socket became ready (or failed, or closed).</summary>
    void OnReady();
}
