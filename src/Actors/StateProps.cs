using Akka.Actor;

namespace ActorHttp;

/// <summary>
/// <see cref="Props"/> that make an actor from a static factory and one state value, for actors made
/// once per connection.
/// </summary>
/// <remarks>
/// <c>Props.Create(() => new X(a, b))</c> keeps an expression tree and a closure for the life of the actor
/// and is evaluated by Akka's expression machinery; <c>Props.Create(typeof(X), args)</c> boxes the arguments
/// and finds the constructor by reflection. A connection's reader and writer are made for every accepted
/// socket, so they go through an <see cref="IIndirectActorProducer"/> that calls a static lambda instead:
/// one small object besides the props, no reflection, no closure.
/// </remarks>
public static class StateProps
{
    /// <summary>Props whose actor is <paramref name="factory"/>(<paramref name="state"/>); <paramref name="factory"/> should be a static lambda.</summary>
    public static Props Create<TActor, TState>(Func<TState, TActor> factory, TState state) where TActor : ActorBase =>
        Props.CreateBy(new Producer<TActor, TState>(factory, state));

    private sealed class Producer<TActor, TState>(Func<TState, TActor> factory, TState state) : IIndirectActorProducer
        where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => factory(state);

        public void Release(ActorBase actor)
        {
        }
    }
}
