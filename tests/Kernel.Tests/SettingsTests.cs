using ActorHttp.Hocon;
using ActorHttp.Kernel;
using ActorHttp.TestKit;
using Xunit.Abstractions;

namespace ActorHttp.Kernel.Tests;

public class SettingsTests
{
    [Fact]
    public void Every_key_of_kernel_conf_is_read_and_every_key_read_exists()
    {
        var reference = ActorSystem.ReferenceConfig;
        var read = new HashSet<string>();
        KernelSettings.FromConfig(ConfigurationFactory.Load(null, typeof(ActorSystem).Assembly).TrackReads(read));
        Assert.Equal(reference.AsEnumerable().Select(kv => kv.Key).Order(), read.Order());
    }

    [Fact]
    public void Every_key_of_testkit_conf_is_read_and_every_key_read_exists()
    {
        var reference = TestKitSettings.ReferenceConfig;
        var read = new HashSet<string>();
        TestKitSettings.FromConfig(ConfigurationFactory.Load(null, typeof(TestKitSettings).Assembly).TrackReads(read));
        Assert.Equal(reference.AsEnumerable().Select(kv => kv.Key).Order(), read.Order());
    }

    [Fact]
    public async Task Overrides_win_over_the_reference()
    {
        var system = ActorSystem.Create("settings", ConfigurationFactory.ParseString("""
            actorhttp.kernel {
              throughput = 5
              ask-timeout = infinite
              dead-letters.log = off
              scheduler.implementation = "ActorHttp.TestKit.TestScheduler, ActorHttp.TestKit"
            }
            """));
        try
        {
            Assert.Equal(5, system.Settings.Throughput);
            Assert.Equal(Timeout.InfiniteTimeSpan, system.Settings.AskTimeout);
            Assert.False(system.Settings.LogDeadLetters);
            Assert.IsType<TestScheduler>(system.Scheduler);
            Assert.Equal(5, system.Config.GetInt("actorhttp.kernel.throughput"));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { "actorhttp.kernel.throughput = 0", "actorhttp.kernel.throughput" },
        { "actorhttp.kernel.ask-timeout = 0s", "actorhttp.kernel.ask-timeout" },
        { "actorhttp.kernel.dead-letters.log-max = -1", "actorhttp.kernel.dead-letters.log-max" },
        { "actorhttp.kernel.throughput = fast", "actorhttp.kernel.throughput" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Bad_values_are_rejected_naming_the_key(string hocon, string key)
    {
        var e = Assert.Throws<ConfigException>(() => ActorSystem.Create("bad", ConfigurationFactory.ParseString(hocon)));
        Assert.Contains(key, e.Message + e.Path);
    }
}

public class ConfiguredTestKitTests(ITestOutputHelper output) : TestKit.TestKit("""
    actorhttp.testkit.single-expect-default = 250ms
    actorhttp.kernel.scheduler.implementation = "ActorHttp.TestKit.TestScheduler, ActorHttp.TestKit"
    """, output)
{
    [Fact]
    public void The_TestKit_reads_its_settings_and_the_systems_from_the_given_HOCON()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), TestKitSettings.SingleExpectDefault);
        Assert.Equal(TimeSpan.FromMilliseconds(250), RemainingOrDefault);
        Assert.IsType<TestScheduler>(Sys.Scheduler);
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromHours(1), TestActor, "an hour later", ActorRefs.NoSender);
        Scheduler.Advance(TimeSpan.FromHours(1));
        ExpectMsg("an hour later", TimeSpan.FromSeconds(3));
    }
}
