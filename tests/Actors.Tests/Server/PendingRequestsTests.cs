using ActorHttp.Server.Connection;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>A connection's pending requests: first in, first out, through the inline slot and the queue behind it.</summary>
public sealed class PendingRequestsTests
{
    [Fact]
    public void Requests_leave_in_arrival_order_however_many_wait()
    {
        var pending = new PendingRequests();
        Assert.False(pending.TryDequeue(out _));
        var next = 0;
        var expected = 0;
        // Waves of 1, 2, 3 and 4 requests, each taken half before the next wave arrives.
        for (var wave = 1; wave <= 4; wave++)
        {
            for (var i = 0; i < wave; i++) pending.Enqueue(next++);
            for (var i = 0; i < (wave + 1) / 2; i++)
            {
                Assert.True(pending.TryDequeue(out var request));
                Assert.Equal(expected++, request);
            }
        }

        Assert.Equal(next - expected, pending.Count);
        while (pending.TryDequeue(out var request)) Assert.Equal(expected++, request);
        Assert.Equal(next, expected);
        Assert.Equal(0, pending.Count);
    }
}
