using System.Diagnostics;
using ActorHttp.Kernel;
using Xunit.Sdk;

namespace ActorHttp.TestKit;

/// <summary>
/// The expectation API shared by <see cref="TestKit"/> and <see cref="TestProbe"/> (Akka.TestKit's
/// shape): a test actor queues what it receives and the <c>Expect…</c> methods take from that queue,
/// failing with an xunit assertion when the expectation is not met in time. Every timeout is
/// dilated by <c>timefactor</c>; inside <see cref="Within(TimeSpan, TimeSpan, Action)"/> the default
/// timeout is what is left of the block. The blocking variants block the test's thread (only);
/// the <c>…Async</c> variants await.
/// </summary>
public abstract class TestKitBase
{
    private readonly TestMessageQueue _queue = new();
    private readonly ManualResetEventSlim _never = new(false);
    private TimeSpan? _end;
    private Envelope _last;

    /// <summary>Creates the test actor in <paramref name="system"/> (under <c>/system</c>, so it never counts as a leak under <c>/user</c>).</summary>
    protected TestKitBase(ActorSystem system, TestKitSettings settings, string testActorName)
    {
        Sys = system;
        TestKitSettings = settings;
        var queue = _queue;
        TestActor = system.SystemActorOf(Props.Create(() => new TestActor(queue)), testActorName);
    }

    /// <summary>The actor system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>The TestKit's settings.</summary>
    public TestKitSettings TestKitSettings { get; }

    /// <summary>The actor whose received messages the expectations inspect; use it as a sender or reply target.</summary>
    public IActorRef TestActor { get; }

    /// <summary>The sender of the last message taken by an expectation.</summary>
    public IActorRef LastSender => _last.Sender ?? Sys.DeadLetters;

    /// <summary>The last message taken by an expectation.</summary>
    public object? LastMessage => _last.Message;

    /// <summary>The system's scheduler as a <see cref="TestScheduler"/> (fails if the system runs on real time).</summary>
    public TestScheduler Scheduler => Sys.Scheduler as TestScheduler
                                      ?? throw new InvalidOperationException("This test's system does not use the TestScheduler; pass one in the ActorSystemSetup.");

    /// <summary>Time left in the innermost <c>Within</c> block, else the dilated single-expect default.</summary>
    public TimeSpan RemainingOrDefault => _end is { } end ? end - Now : Dilated(TestKitSettings.SingleExpectDefault);

    /// <summary>Time left in the innermost <c>Within</c> block (fails outside one).</summary>
    public TimeSpan Remaining => _end is { } end ? end - Now : throw new InvalidOperationException("Remaining is only defined inside Within(...).");

    private static TimeSpan Now => Stopwatch.GetElapsedTime(0);

    /// <summary>Multiplies <paramref name="duration"/> by the time factor.</summary>
    public TimeSpan Dilated(TimeSpan duration) => duration * TestKitSettings.TimeFactor;

    // ------------------------------------------------------------------ expectations

    /// <summary>Expects a message of type <typeparamref name="T"/>.</summary>
    public T ExpectMsg<T>(TimeSpan? timeout = null, string? hint = null) =>
        ExpectMsg<T>(static _ => true, timeout, hint);

    /// <summary>Expects a message of type <typeparamref name="T"/> that satisfies <paramref name="isMessage"/>.</summary>
    public T ExpectMsg<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null) =>
        Check(Take(timeout, $"message of type {typeof(T).Name}", hint), isMessage, hint);

    /// <summary>Expects a message of type <typeparamref name="T"/> and runs <paramref name="assert"/> on it.</summary>
    public T ExpectMsg<T>(Action<T> assert, TimeSpan? timeout = null, string? hint = null)
    {
        var message = ExpectMsg<T>(timeout, hint);
        assert(message);
        return message;
    }

    /// <summary>Expects a message equal to <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null, string? hint = null) where T : notnull =>
        Check<T>(Take(timeout, $"message equal to {expected}", hint), m => Equals(m, expected), hint ?? $"expected {expected}");

    /// <summary>Async <see cref="ExpectMsg{T}(TimeSpan?, string?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null, string? hint = null) =>
        Check<T>(await TakeAsync(timeout, $"message of type {typeof(T).Name}", hint).ConfigureAwait(false), static _ => true, hint);

    /// <summary>Async <see cref="ExpectMsg{T}(Predicate{T}, TimeSpan?, string?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Predicate<T> isMessage, TimeSpan? timeout = null, string? hint = null) =>
        Check(await TakeAsync(timeout, $"message of type {typeof(T).Name}", hint).ConfigureAwait(false), isMessage, hint);

    /// <summary>Async <see cref="ExpectMsg{T}(T, TimeSpan?, string?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null, string? hint = null) where T : notnull =>
        Check<T>(await TakeAsync(timeout, $"message equal to {expected}", hint).ConfigureAwait(false), m => Equals(m, expected), hint ?? $"expected {expected}");

    /// <summary>Expects no message for <paramref name="duration"/> (default: <c>expect-no-message-default</c>).</summary>
    public void ExpectNoMsg(TimeSpan? duration = null)
    {
        var d = duration is { } given ? Dilated(given) : Dilated(TestKitSettings.ExpectNoMessageDefault);
        if (_queue.TryTake(d, out var envelope))
        {
            _last = envelope;
            throw new XunitException($"Expected no message for {d}, got {Describe(envelope)}.");
        }
    }

    /// <summary>Async <see cref="ExpectNoMsg"/>.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan? duration = null)
    {
        var d = duration is { } given ? Dilated(given) : Dilated(TestKitSettings.ExpectNoMessageDefault);
        var (got, envelope) = await _queue.TryTakeAsync(d).ConfigureAwait(false);
        if (got)
        {
            _last = envelope;
            throw new XunitException($"Expected no message for {d}, got {Describe(envelope)}.");
        }
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="target"/> (watch it first with <see cref="Watch"/>).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(t => t.ActorRef.Equals(target), timeout, $"Terminated of {target}");

    /// <summary>Async <see cref="ExpectTerminated"/>.</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(t => t.ActorRef.Equals(target), timeout, $"Terminated of {target}");

    /// <summary>Takes messages until one satisfies <paramref name="isMessage"/> (skipping the others) and returns it.</summary>
    public object FishForMessage(Predicate<object> isMessage, TimeSpan? max = null, string? hint = null)
    {
        var end = Now + (max is { } m ? Dilated(m) : RemainingOrDefault);
        while (true)
        {
            var envelope = Take(end - Now, "a message matching the fishing predicate", hint);
            if (isMessage(envelope.Message)) return envelope.Message;
        }
    }

    /// <summary>Takes messages until one of type <typeparamref name="T"/> satisfies <paramref name="isMessage"/>.</summary>
    public T FishForMessage<T>(Predicate<T> isMessage, TimeSpan? max = null, string? hint = null) =>
        (T)FishForMessage(m => m is T t && isMessage(t), max, hint);

    /// <summary>Receives exactly <paramref name="n"/> messages (any type) within <paramref name="max"/>.</summary>
    public IReadOnlyList<object> ReceiveN(int n, TimeSpan? max = null)
    {
        var end = Now + (max is { } m ? Dilated(m) : RemainingOrDefault);
        var result = new List<object>(n);
        for (var i = 0; i < n; i++) result.Add(Take(end - Now, $"message {i + 1} of {n}", null).Message);
        return result;
    }

    /// <summary>Async <see cref="ReceiveN"/>.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int n, TimeSpan? max = null)
    {
        var end = Now + (max is { } m ? Dilated(m) : RemainingOrDefault);
        var result = new List<object>(n);
        for (var i = 0; i < n; i++) result.Add((await TakeAsync(end - Now, $"message {i + 1} of {n}", null).ConfigureAwait(false)).Message);
        return result;
    }

    // ------------------------------------------------------------------ watch, within, await

    /// <summary>Makes the test actor watch <paramref name="actor"/>; its <see cref="Terminated"/> then arrives like any message.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        TestActor.Tell(new TestActor.WatchCommand(actor), ActorRefs.NoSender);
        return actor;
    }

    /// <summary>Undoes <see cref="Watch"/>.</summary>
    public IActorRef Unwatch(IActorRef actor)
    {
        TestActor.Tell(new TestActor.UnwatchCommand(actor), ActorRefs.NoSender);
        return actor;
    }

    /// <summary>Runs <paramref name="action"/>, which must take at least <paramref name="min"/> and at most <paramref name="max"/> (dilated); expectations inside default to the time left.</summary>
    public void Within(TimeSpan min, TimeSpan max, Action action)
    {
        var start = Now;
        var previous = _end;
        var dilatedMax = Dilated(max);
        _end = previous is { } p && p < start + dilatedMax ? p : start + dilatedMax;
        try
        {
            action();
        }
        finally
        {
            _end = previous;
        }
        CheckWithin(start, min, dilatedMax);
    }

    /// <summary>Runs <paramref name="action"/>, which must finish within <paramref name="max"/>.</summary>
    public void Within(TimeSpan max, Action action) => Within(TimeSpan.Zero, max, action);

    /// <summary>Async <see cref="Within(TimeSpan, TimeSpan, Action)"/>.</summary>
    public async Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> action)
    {
        var start = Now;
        var previous = _end;
        var dilatedMax = Dilated(max);
        _end = previous is { } p && p < start + dilatedMax ? p : start + dilatedMax;
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _end = previous;
        }
        CheckWithin(start, min, dilatedMax);
    }

    /// <summary>Async <see cref="Within(TimeSpan, Action)"/>.</summary>
    public Task WithinAsync(TimeSpan max, Func<Task> action) => WithinAsync(TimeSpan.Zero, max, action);

    /// <summary>Retries <paramref name="assertion"/> every <paramref name="interval"/> until it passes or <paramref name="duration"/> is over (then rethrows its last failure).</summary>
    public void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var end = Now + (duration is { } d ? Dilated(d) : RemainingOrDefault);
        var pause = interval ?? TestKitSettings.PollInterval;
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Exception) when (Now < end)
            {
                _never.Wait(pause);
            }
        }
    }

    /// <summary>Async <see cref="AwaitAssert"/>.</summary>
    public async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var end = Now + (duration is { } d ? Dilated(d) : RemainingOrDefault);
        var pause = interval ?? TestKitSettings.PollInterval;
        while (true)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception) when (Now < end)
            {
                await Task.Delay(pause).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Async <see cref="AwaitAssert"/> for a synchronous assertion.</summary>
    public Task AwaitAssertAsync(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) =>
        AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, duration, interval);

    /// <summary>Waits until <paramref name="condition"/> holds; fails after <paramref name="max"/>.</summary>
    public void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        var limit = max is { } m ? Dilated(m) : RemainingOrDefault;
        var end = Now + limit;
        var pause = interval ?? TestKitSettings.PollInterval;
        while (!condition())
        {
            if (Now >= end) throw new XunitException($"Condition not met within {limit}{(message is null ? "" : ": " + message)}.");
            _never.Wait(pause);
        }
    }

    /// <summary>Async <see cref="AwaitCondition"/>.</summary>
    public async Task AwaitConditionAsync(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null)
    {
        var limit = max is { } m ? Dilated(m) : RemainingOrDefault;
        var end = Now + limit;
        var pause = interval ?? TestKitSettings.PollInterval;
        while (!condition())
        {
            if (Now >= end) throw new XunitException($"Condition not met within {limit}{(message is null ? "" : ": " + message)}.");
            await Task.Delay(pause).ConfigureAwait(false);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Envelope Take(TimeSpan? timeout, string what, string? hint)
    {
        var t = timeout is { } given ? (_end is null ? Dilated(given) : given) : RemainingOrDefault;
        if (!_queue.TryTake(t, out var envelope))
            throw new XunitException($"Timeout ({t}) while waiting for {what}{(hint is null ? "" : " (" + hint + ")")}.");
        _last = envelope;
        return envelope;
    }

    private async Task<Envelope> TakeAsync(TimeSpan? timeout, string what, string? hint)
    {
        var t = timeout is { } given ? (_end is null ? Dilated(given) : given) : RemainingOrDefault;
        var (got, envelope) = await _queue.TryTakeAsync(t).ConfigureAwait(false);
        if (!got) throw new XunitException($"Timeout ({t}) while waiting for {what}{(hint is null ? "" : " (" + hint + ")")}.");
        _last = envelope;
        return envelope;
    }

    private static T Check<T>(Envelope envelope, Predicate<T> isMessage, string? hint)
    {
        if (envelope.Message is not T typed)
            throw new XunitException($"Expected a message of type {typeof(T).Name}, got {Describe(envelope)}{(hint is null ? "" : " (" + hint + ")")}.");
        if (!isMessage(typed))
            throw new XunitException($"The message {Describe(envelope)} did not match{(hint is null ? "" : ": " + hint)}.");
        return typed;
    }

    private static void CheckWithin(TimeSpan start, TimeSpan min, TimeSpan max)
    {
        var elapsed = Now - start;
        if (elapsed < min) throw new XunitException($"Block took {elapsed}, less than the minimum {min}.");
        if (elapsed > max) throw new XunitException($"Block took {elapsed}, more than the maximum {max}.");
    }

    private static string Describe(Envelope envelope) =>
        $"{envelope.Message} ({envelope.Message.GetType().Name}) from {envelope.Sender?.ToString() ?? "NoSender"}";
}
