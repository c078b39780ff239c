using ActorHttp.Hocon;
using ActorHttp.Kernel;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace ActorHttp.Kernel.Tests;

public class LoggingTests
{
    private sealed class CollectingSink : ILogEventSink
    {
        private readonly List<LogEvent> _events = new();

        public IReadOnlyList<LogEvent> Events
        {
            get
            {
                lock (_events) return _events.ToArray();
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_events) _events.Add(logEvent);
        }
    }

    private sealed class Talker : ReceiveActor
    {
        public Talker()
        {
            var log = Context.GetLogger();
            Receive<string>(s =>
            {
                log.Info("Heard {Word}", s);
                Sender.Tell("logged");
            });
        }
    }

    private static ActorSystem Create(CollectingSink sink, string hocon = "") =>
        ActorSystem.Create("logging", new ActorSystemSetup
        {
            Config = ConfigurationFactory.ParseString(hocon),
            Logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger(),
        });

    [Fact]
    public async Task GetLogger_tags_events_with_the_actor_path_and_uses_Serilog_templates()
    {
        var sink = new CollectingSink();
        var system = Create(sink);
        try
        {
            var talker = system.ActorOf(Props.Create<Talker>(), "talker");
            Assert.Equal("logged", await talker.Ask<string>("hello", TimeSpan.FromSeconds(5)));
            var e = Assert.Single(sink.Events, e => e.MessageTemplate.Text == "Heard {Word}");
            Assert.Equal("\"hello\"", e.Properties["Word"].ToString());
            Assert.Equal($"\"actorhttp://logging/user/talker\"", e.Properties["ActorPath"].ToString());
            Assert.Contains(nameof(Talker), e.Properties[Constants.SourceContextPropertyName].ToString());
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Dead_letter_logging_stops_after_log_max()
    {
        var sink = new CollectingSink();
        var system = Create(sink, "actorhttp.kernel.dead-letters.log-max = 2");
        try
        {
            for (var i = 0; i < 5; i++) system.DeadLetters.Tell(i, ActorRefs.NoSender);
            Assert.Equal(2, sink.Events.Count(e => e.MessageTemplate.Text.Contains("was not delivered")));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Dead_letters_are_not_logged_when_logging_is_off()
    {
        var sink = new CollectingSink();
        var system = Create(sink, "actorhttp.kernel.dead-letters.log = off");
        try
        {
            system.DeadLetters.Tell("x", ActorRefs.NoSender);
            Assert.DoesNotContain(sink.Events, e => e.MessageTemplate.Text.Contains("was not delivered"));
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Supervisor_decisions_are_logged_as_errors_with_the_exception()
    {
        var sink = new CollectingSink();
        var system = Create(sink);
        try
        {
            var talker = system.ActorOf(Props.Create<Crasher>(), "crasher");
            talker.Tell("boom", ActorRefs.NoSender);
            Assert.Equal("alive", await talker.Ask<string>(1, TimeSpan.FromSeconds(5)));
            var e = Assert.Single(sink.Events, e => e.Level == LogEventLevel.Error && e.Exception is InvalidOperationException);
            Assert.Equal("Restart", e.Properties["Directive"].ToString());
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    private sealed class Crasher : ReceiveActor
    {
        public Crasher()
        {
            Receive<string>(_ => throw new InvalidOperationException("boom"));
            Receive<int>(_ => Sender.Tell("alive"));
        }
    }
}
