using System.Globalization;
using MdiFlow.PostgreSql.Tests.Support;
using Xunit.Abstractions;

namespace MdiFlow.PostgreSql.Tests.Soak;

/// <summary>
/// Two worker processes with different <c>--host</c> names on one PostgreSQL database, killed at random and restarted:
/// nothing lost, nothing run twice, no stale lease committed, host-affine steps only on their host. The suite runs a short
/// soak; the long one is the same fact with <c>MDIFLOW_SOAK_KILLS</c> (and <c>MDIFLOW_SOAK_INSTANCES</c>) set, see docs/postgresql.md.
/// </summary>
public sealed class TwoHostSoakTests(ITestOutputHelper output) : DatabaseTest
{
    [Fact]
    public async Task Two_hosts_workers_killed_at_random_lose_nothing_complete_no_step_twice_and_run_host_affine_steps_only_on_their_host()
    {
        var kills = Setting("MDIFLOW_SOAK_KILLS", 12);
        var plan = new SoakPlan(
            Instances: Setting("MDIFLOW_SOAK_INSTANCES", 20),
            Kills: kills,
            Seed: Setting("MDIFLOW_SOAK_SEED", Environment.TickCount),
            Limit: TimeSpan.FromSeconds(Math.Max(40, kills * 4)));

        var report = await new TwoHostSoak(Database, plan).RunAsync();
        output.WriteLine($"seed {plan.Seed}: {report}");

        report.Kills.Should().Be(plan.Kills, report.ToString());
        report.Lost.Should().Be(0, report.ToString());
        report.Completed.Should().Be(report.Instances);
        report.DuplicatedCompletions.Should().Be(0, report.ToString());
        report.TokenRegressions.Should().Be(0, report.ToString());
        report.ClaimsNotInTurn.Should().Be(0, report.ToString());
        report.StepsOffTheirHost.Should().Be(0, report.ToString());
        report.JournalsBroken.Should().Be(0, report.ToString());
        report.HandOvers.Should().BeGreaterThan(0, "some free steps ran on the other host before the host-affine one");
    }

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
