namespace ActorHttp.Kernel;

/// <summary>The conventional outcome replies: <see cref="Success"/> and <see cref="Failure"/> (which faults an <c>Ask</c>).</summary>
public abstract class Status
{
    private Status()
    {
    }

    /// <summary>A successful outcome with an optional value.</summary>
    public sealed class Success : Status
    {
        /// <summary>Creates a success.</summary>
        public Success(object? status) => Status = status;

        /// <summary>The value.</summary>
        public object? Status { get; }

        /// <inheritdoc />
        public override string ToString() => $"Success: {Status}";
    }

    /// <summary>A failed outcome: an <c>Ask</c> that receives it faults with <see cref="Cause"/>.</summary>
    public sealed class Failure : Status
    {
        /// <summary>Creates a failure.</summary>
        public Failure(Exception cause, object? state = null)
        {
            Cause = cause;
            State = state;
        }

        /// <summary>Why it failed.</summary>
        public Exception Cause { get; }

        /// <summary>Optional context (e.g. the command that failed).</summary>
        public object? State { get; }

        /// <inheritdoc />
        public override string ToString() => $"Failure: {Cause.GetType().Name}: {Cause.Message}";
    }
}
