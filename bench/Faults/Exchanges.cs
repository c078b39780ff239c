using System.Buffers;
using System.Diagnostics;
using ActorHttp.Client;

namespace ActorHttp.Faults;

/// <summary>What an answered request brought back: its status and how many body bytes were read to the end.</summary>
public readonly record struct Answer(int Status, long BodyLength);

/// <summary>
/// One client request, classified: <see cref="TrackAsync"/> starts an exchange, waits for it at most until its
/// deadline plus grace, and records how it ended in a <see cref="Tally"/>.
/// </summary>
public static class Exchanges
{
    /// <summary>True when <paramref name="count"/> sequential GETs of <paramref name="uri"/> are all answered 200: the server keeps serving after a fault.</summary>
    public static async Task<bool> AllAnsweredAsync(ActorHttpClient client, Uri uri, int count, TimeSpan hungAfter)
    {
        var after = new Tally();
        for (var i = 0; i < count; i++) await TrackAsync(after, () => SendAsync(client, ClientRequest.Get(uri)), hungAfter).ConfigureAwait(false);
        return after.Statuses.GetValueOrDefault(200) == count;
    }

    /// <summary>
    /// Runs <paramref name="exchange"/> and records its <see cref="Outcome"/>: answered (the whole body was read),
    /// failed with an <see cref="HttpClientException"/> (also when wrapped in an <see cref="OperationCanceledException"/>),
    /// lost (any other exception), or hung (not finished after <paramref name="hungAfter"/>; it is left running).
    /// </summary>
    public static async Task<Outcome> TrackAsync(Tally tally, Func<Task<Answer>> exchange, TimeSpan hungAfter)
    {
        tally.Started();
        var start = Stopwatch.GetTimestamp();
        Task<Answer> task;
        try
        {
            task = exchange();
        }
        catch (Exception e)
        {
            task = Task.FromException<Answer>(e);
        }

        Outcome outcome;
        try
        {
            var answer = await task.WaitAsync(hungAfter).ConfigureAwait(false);
            outcome = new Outcome(OutcomeKind.Answered, answer.Status, answer.BodyLength, null, null, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            // Left running; its end, whenever it comes, is observed so that it raises no unobserved-task event.
            _ = task.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            outcome = new Outcome(OutcomeKind.Hung, 0, 0, null, null, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (HttpClientException e)
        {
            outcome = new Outcome(OutcomeKind.FailedTyped, 0, 0, e, null, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (OperationCanceledException e) when (e.InnerException is HttpClientException h)
        {
            outcome = new Outcome(OutcomeKind.FailedTyped, 0, 0, h, null, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        catch (Exception e)
        {
            outcome = new Outcome(OutcomeKind.Lost, 0, 0, null, e, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        tally.Record(outcome);
        return outcome;
    }

    /// <summary>Sends <paramref name="request"/> and reads the whole body, counting its bytes.</summary>
    public static async Task<Answer> SendAsync(ActorHttpClient client, ClientRequest request)
    {
        var response = await client.SendAsync(request).ConfigureAwait(false);
        await using (response.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                long length = 0;
                int n;
                while ((n = await response.Body.ReadAsync(buffer).ConfigureAwait(false)) > 0) length += n;
                return new Answer(response.StatusCode, length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
