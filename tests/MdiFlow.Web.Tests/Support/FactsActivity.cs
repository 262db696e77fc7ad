using MdiFlow.Activities;

namespace MdiFlow.Web.Tests.Support;

/// <summary>Input of <see cref="FactsActivity"/>.</summary>
public sealed record FactsInput
{
    public string Computer { get; init; } = "DC01.contoso.test";
}

/// <summary>What an earlier step found out, for the change board to see.</summary>
public sealed record FactsOutput(string Sku, string Role, string PackageSha256, string ComputerName, int NicTeams);

/// <summary>A step that gathers facts (as the Defender for Identity checks do) without touching anything.</summary>
[Activity("test.facts", Description = "Reports fixed facts about a server.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Harmless)]
internal sealed class FactsActivity : Activity<FactsInput, FactsOutput>
{
    protected override ValueTask<ActivityResult> ExecuteAsync(FactsInput input, ActivityContext context) =>
        ValueTask.FromResult(Complete(new FactsOutput("EMSPREMIUM", "Security Administrator", "9f2c4e0b7a31d5c8e6f4a2b1c3d5e7f9a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9", input.Computer, 0)));
}
