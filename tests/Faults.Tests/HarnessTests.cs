using ActorHttp.Faults.Table;

namespace ActorHttp.Faults.Tests;

/// <summary>The harness's own pieces: the seeded garbage corpus and the line format the issue fixes.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void The_garbage_corpus_is_the_same_bytes_for_the_same_seed()
    {
        for (var i = 0; i < 10_000; i++)
        {
            var head = GarbageCorpus.Make(12, i);
            Assert.True(head.Length <= 256 * 1024);
            if (i % 997 == 0) Assert.Equal(head, GarbageCorpus.Make(12, i));
        }
        Assert.NotEqual(GarbageCorpus.Make(12, 1), GarbageCorpus.Make(13, 1));
    }

    [Fact]
    public void A_line_has_the_issue_fields_in_order_and_says_why_it_failed()
    {
        var tally = new Tally();
        tally.Add(new Outcome(OutcomeKind.Answered, 200, 2, null, null, 1.5));
        tally.Add(new Outcome(OutcomeKind.Lost, 0, 0, null, new IOException(), 3));
        var line = new FaultResult("x", tally, 1.25).Add("k", 7).Require(false, "broken").Line();
        Assert.Equal("FAULT x ok=false requests=2 answered=1 failed_typed=0 lost=1 hung=0 p99_ms=1.5 baseline_p99_ms=1.25 k=7 why=lost,broken", line);
    }

    [Fact]
    public void Every_fault_has_a_unique_name_and_says_what_passing_means()
    {
        Assert.Equal(FaultTable.All.Count, FaultTable.All.Select(f => f.Name).Distinct().Count());
        Assert.All(FaultTable.All, f => Assert.False(string.IsNullOrWhiteSpace(f.PassesWhen)));
        foreach (var name in new[] { "slowloris", "slow-body", "conn-flood", "churn", "shutdown-under-load", "handler-crash", "backend-closes-idle", "backend-reset-mid-body", "backend-dies", "garbage" })
            Assert.NotNull(FaultTable.Find(name));
    }
}
