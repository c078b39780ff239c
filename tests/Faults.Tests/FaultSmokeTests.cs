using ActorHttp.Faults.Table;
using Xunit.Abstractions;

namespace ActorHttp.Faults.Tests;

/// <summary>
/// Faults of the harness's table run at <see cref="FaultScale.Smoke"/> (seconds each): the same code as
/// <c>dotnet run --project bench/Faults</c>, with a line that must say ok=true.
/// </summary>
public sealed class FaultSmokeTests(ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public Task Handler_crash_answers_500_and_the_server_keeps_serving() => RunAsync(new HandlerCrash());

    [Fact(Timeout = 60_000)]
    public Task Backend_reset_mid_body_is_a_typed_error_and_the_connection_is_not_reused() => RunAsync(new BackendResetMidBody());

    [Fact(Timeout = 60_000)]
    public Task Garbage_heads_are_refused_or_closed_and_the_server_keeps_serving() => RunAsync(new Garbage());

    private async Task RunAsync(IFault fault)
    {
        var result = await FaultTable.RunAsync(fault, FaultScale.Smoke);
        output.WriteLine(result.Line());
        Assert.True(result.Ok, result.Line());
    }
}
