using ActorHttp.Dispatch;
using Akka.Configuration;

namespace ActorHttp.Actors.Tests.Dispatch;

/// <summary>
/// hocon/dispatch.conf and <see cref="EventLoopSettings"/>: every key is accounted for, the mailbox
/// type names resolve to the real type, and values that would break a loop are refused.
/// </summary>
public sealed class EventLoopSettingsTests
{
    private static Config Section => EventLoopSettings.Reference().GetConfig(EventLoopSettings.Section);

    [Fact]
    public void The_reference_has_exactly_the_keys_that_are_read()
    {
        // Read by EventLoopSettings: throughput, throughput-deadline-time, shutdown-timeout,
        // max-runs-between-polls. Read by Akka's Mailboxes: the two mailbox-type keys.
        string[] expected =
        [
            "compact-mailbox.mailbox-type",
            "event-loop.mailbox-type",
            "event-loop.max-runs-between-polls",
            "event-loop.shutdown-timeout",
            "event-loop.throughput",
            "event-loop.throughput-deadline-time",
        ];
        var keys = new List<string>();
        Collect(EventLoopSettings.Reference().GetConfig("actorhttp.dispatch"), "", keys);
        keys.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, keys);
    }

    [Fact]
    public void The_reference_defaults_are_read_and_valid()
    {
        var settings = EventLoopSettings.From(Section);
        Assert.True(settings.Throughput >= 1);
        Assert.True(settings.MaxRunsBetweenPolls >= 1);
        Assert.True(settings.ShutdownTimeout >= TimeSpan.FromDays(1), "a loop dispatcher must in effect never shut its executor down");
    }

    [Fact]
    public void The_mailbox_types_name_the_compact_mailbox()
    {
        var reference = EventLoopSettings.Reference();
        Assert.Equal(typeof(CompactMailbox), Type.GetType(reference.GetString(EventLoopSettings.Section + ".mailbox-type"), throwOnError: true));
        Assert.Equal(typeof(CompactMailbox), Type.GetType(reference.GetString(CompactMailbox.Id + ".mailbox-type"), throwOnError: true));
    }

    [Theory]
    [InlineData("throughput-deadline-time = 10ms")]
    [InlineData("throughput = 0")]
    [InlineData("max-runs-between-polls = 0")]
    [InlineData("shutdown-timeout = 0s")]
    public void Values_that_would_break_a_loop_are_refused(string setting)
    {
        var section = ConfigurationFactory.ParseString(setting).WithFallback(Section);
        Assert.Throws<ConfigurationException>(() => EventLoopSettings.From(section));
    }

    private static void Collect(Config config, string prefix, List<string> keys)
    {
        foreach (var (key, value) in config.AsEnumerable())
        {
            if (value.IsObject()) Collect(config.GetConfig(key), prefix + key + ".", keys);
            else keys.Add(prefix + key);
        }
    }
}
