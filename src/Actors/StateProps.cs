using System.Collections.Concurrent;
using Akka.Actor;

namespace ActorHttp;

/// <summary>
/// <see cref="Props"/> that make an actor from a static factory and one state value, for actors made once per
/// connection: <c>StateProps.Create(static s =&gt; new Reader(s), state, dispatcher, mailbox)</c>.
/// </summary>
/// <remarks>
/// <para><c>Props.Create(() =&gt; new X(a, b))</c> keeps an expression tree and a closure for the life of the actor,
/// is evaluated by Akka's expression machinery and needs a public constructor; <c>Props.Create(typeof(X), args)</c>
/// boxes the arguments and finds the constructor by reflection. Both, with <c>WithDispatcher</c> and
/// <c>WithMailbox</c>, also give every actor its own <see cref="Deploy"/> (72 B). A connection's actors are made for
/// every accepted socket, and every idle keep-alive connection keeps their props.</para>
/// <para>So these props are a subclass of Akka's (its protected copy constructor and virtual <see cref="Props.NewActor"/>
/// are the extension point): one object per actor holding the factory and the state, sharing everything else —
/// the deploy with its dispatcher and mailbox — with a template made once per actor type, dispatcher and mailbox.</para>
/// </remarks>
public static class StateProps
{
    private static readonly ConcurrentDictionary<(Type Actor, string? Dispatcher, string? Mailbox), Props> s_templates = new();

    /// <summary>Props whose actor is <paramref name="factory"/>(<paramref name="state"/>); <paramref name="factory"/> should be a static lambda.</summary>
    /// <param name="factory">Makes the actor (called by Akka on the actor's dispatcher).</param>
    /// <param name="state">What the factory needs.</param>
    /// <param name="dispatcher">The dispatcher id; null = the default.</param>
    /// <param name="mailbox">The mailbox id; null = the dispatcher's.</param>
    public static Props Create<TActor, TState>(Func<TState, TActor> factory, TState state, string? dispatcher = null, string? mailbox = null)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        var template = s_templates.GetOrAdd((typeof(TActor), dispatcher, mailbox), static key =>
        {
            var props = Props.CreateBy(TemplateProducer.For(key.Actor));
            if (key.Dispatcher is not null) props = props.WithDispatcher(key.Dispatcher);
            if (key.Mailbox is not null) props = props.WithMailbox(key.Mailbox);
            return props;
        });
        return new Of<TActor, TState>(template, factory, state);
    }

    private sealed class Of<TActor, TState> : Props where TActor : ActorBase
    {
        private readonly Func<TState, TActor> _factory;
        private readonly TState _state;

        public Of(Props template, Func<TState, TActor> factory, TState state)
            : base(template)
        {
            _factory = factory;
            _state = state;
        }

        public override ActorBase NewActor() => _factory(_state);

        // WithDispatcher, WithMailbox, WithSupervisorStrategy... copy through here, keeping the factory and state.
        protected override Props Copy() => new Of<TActor, TState>(this, _factory, _state);
    }

    // The template's producer: it names the actor type for Akka; the actor itself always comes from NewActor above.
    private sealed class TemplateProducer(Type actorType) : IIndirectActorProducer
    {
        public static TemplateProducer For(Type actorType) => new(actorType);

        public Type ActorType => actorType;

        public ActorBase Produce() => throw new InvalidOperationException($"{actorType.Name} is made by its StateProps");

        public void Release(ActorBase actor)
        {
        }
    }
}
