using System.Diagnostics;
using ActorHttp.Server;
using ActorHttp.Server.Connection;
using Xunit.Abstractions;

namespace ActorHttp.Actors.Tests.Server;

/// <summary>
/// The listener's deadline table: a passed deadline is reported once, a re-armed or disarmed one is not, a
/// closed entry is dropped on the next sweep, and the heartbeat interval follows the timeouts. Time is the
/// timestamp handed to <see cref="ConnectionDeadlines.Sweep"/>, so nothing here waits.
/// </summary>
public sealed class ConnectionDeadlinesTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly ServerSettings Reference = ServerSettings.Load();

    private static long Later(TimeSpan by) => Stopwatch.GetTimestamp() + (long)(by.TotalSeconds * Stopwatch.Frequency);

    [Theory]
    [InlineData(120_000, 30_000, 20_000, 25, 25)]       // the defaults: the heartbeat-interval setting (reference)
    [InlineData(120_000, 30_000, 20_000, 1_000, 1_000)] // Kestrel's one-second heartbeat, when set so
    [InlineData(1_000, 2_000, 0, 1_000, 250)]           // short timeouts: a quarter of the shortest
    [InlineData(0, 2_000, 0, 1_000, 500)]               // idle timeout off
    [InlineData(1_000, 0, 0, 1_000, 250)]               // header timeout off
    [InlineData(0, 0, 400, 1_000, 100)]                 // only the request timeout
    [InlineData(1_000, 2_000, 400, 1_000, 100)]         // the request timeout is the shortest
    public void The_heartbeat_is_a_quarter_of_the_shortest_timeout_and_at_most_the_setting(int idleMs, int headerMs, int handlerMs, int settingMs, int heartbeatMs)
    {
        var settings = Reference with
        {
            IdleTimeout = TimeSpan.FromMilliseconds(idleMs),
            HeaderReadTimeout = TimeSpan.FromMilliseconds(headerMs),
            RequestTimeout = TimeSpan.FromMilliseconds(handlerMs),
            HeartbeatInterval = settingMs == 25 ? Reference.HeartbeatInterval : TimeSpan.FromMilliseconds(settingMs),
        };
        Assert.Equal(TimeSpan.FromMilliseconds(heartbeatMs), new ConnectionDeadlines(settings).HeartbeatInterval);
    }

    [Fact]
    public void With_every_timeout_off_there_is_no_heartbeat_and_no_entry_is_kept()
    {
        var deadlines = new ConnectionDeadlines(Reference with { IdleTimeout = TimeSpan.Zero, HeaderReadTimeout = TimeSpan.Zero, RequestTimeout = TimeSpan.Zero });
        Assert.Null(deadlines.HeartbeatInterval);
        deadlines.Add();
        Assert.Equal(0, deadlines.Count);
    }

    [Fact]
    public void A_passed_handler_deadline_is_reported_once_and_a_disarmed_one_not_at_all()
    {
        var deadlines = new ConnectionDeadlines(Reference);
        var connection = CreateTestProbe();
        var entry = deadlines.Add();
        entry.Connection = connection;

        entry.ArmHandler(Later(TimeSpan.FromSeconds(5)));
        deadlines.Sweep(Stopwatch.GetTimestamp());
        connection.ExpectNoMsg(TimeSpan.Zero);
        deadlines.Sweep(Later(TimeSpan.FromSeconds(6)));
        connection.ExpectMsg<ServerConnection.HandlerDeadlinePassed>(TimeSpan.FromSeconds(1));
        deadlines.Sweep(Later(TimeSpan.FromSeconds(6)));
        connection.ExpectNoMsg(TimeSpan.Zero);

        entry.ArmHandler(Later(TimeSpan.FromSeconds(5)));
        entry.DisarmHandler();
        deadlines.Sweep(Later(TimeSpan.FromSeconds(6)));
        connection.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_passed_deadline_is_reported_once_and_an_unpassed_one_not_at_all()
    {
        var deadlines = new ConnectionDeadlines(Reference);
        var connection = CreateTestProbe();
        var entry = deadlines.Add();
        entry.Connection = connection;

        entry.ArmIdle(TimeSpan.FromSeconds(5));
        entry.ArmHeader(TimeSpan.FromSeconds(10));
        deadlines.Sweep(Stopwatch.GetTimestamp());
        connection.ExpectNoMsg(TimeSpan.Zero);

        deadlines.Sweep(Later(TimeSpan.FromSeconds(6)));
        connection.ExpectMsg<ServerConnection.IdleDeadlinePassed>(TimeSpan.FromSeconds(1));
        deadlines.Sweep(Later(TimeSpan.FromSeconds(6)));
        connection.ExpectNoMsg(TimeSpan.Zero);

        deadlines.Sweep(Later(TimeSpan.FromSeconds(11)));
        connection.ExpectMsg<ConnectionReader.HeaderDeadlinePassed>(TimeSpan.FromSeconds(1));
        deadlines.Sweep(Later(TimeSpan.FromSeconds(11)));
        connection.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void A_disarmed_deadline_is_not_reported_and_a_re_armed_one_counts_from_the_new_arming()
    {
        var deadlines = new ConnectionDeadlines(Reference);
        var connection = CreateTestProbe();
        var entry = deadlines.Add();
        entry.Connection = connection;

        entry.ArmIdle(TimeSpan.FromSeconds(5));
        entry.DisarmIdle();
        entry.ArmHeader(TimeSpan.FromSeconds(5));
        entry.DisarmHeader();
        deadlines.Sweep(Later(TimeSpan.FromSeconds(6)));
        connection.ExpectNoMsg(TimeSpan.Zero);

        entry.ArmIdle(TimeSpan.FromSeconds(5));
        entry.ArmIdle(TimeSpan.FromSeconds(60));
        deadlines.Sweep(Later(TimeSpan.FromSeconds(6)));
        connection.ExpectNoMsg(TimeSpan.Zero);
        deadlines.Sweep(Later(TimeSpan.FromSeconds(61)));
        connection.ExpectMsg<ServerConnection.IdleDeadlinePassed>(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Closed_entries_are_dropped_on_the_next_sweep_and_the_others_still_reported()
    {
        var deadlines = new ConnectionDeadlines(Reference);
        var probes = Enumerable.Range(0, 5).Select(_ => CreateTestProbe()).ToArray();
        var entries = probes.Select(p =>
        {
            var entry = deadlines.Add();
            entry.Connection = p;
            entry.ArmIdle(TimeSpan.FromSeconds(1));
            return entry;
        }).ToArray();

        // The first, a middle one and the last: each swap-remove moves another entry into the gap.
        foreach (var closed in new[] { 0, 2, 4 }) entries[closed].Close();
        deadlines.Sweep(Later(TimeSpan.FromSeconds(2)));

        Assert.Equal(2, deadlines.Count);
        foreach (var closed in new[] { 0, 2, 4 }) probes[closed].ExpectNoMsg(TimeSpan.Zero);
        foreach (var open in new[] { 1, 3 }) probes[open].ExpectMsg<ServerConnection.IdleDeadlinePassed>(TimeSpan.FromSeconds(1));

        // The survivors are still found by their later deadlines.
        entries[1].ArmIdle(TimeSpan.FromSeconds(1));
        entries[3].ArmHeader(TimeSpan.FromSeconds(1));
        deadlines.Sweep(Later(TimeSpan.FromSeconds(2)));
        probes[1].ExpectMsg<ServerConnection.IdleDeadlinePassed>(TimeSpan.FromSeconds(1));
        probes[3].ExpectMsg<ConnectionReader.HeaderDeadlinePassed>(TimeSpan.FromSeconds(1));
    }
}
