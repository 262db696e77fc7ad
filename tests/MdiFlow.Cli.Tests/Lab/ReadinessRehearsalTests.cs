using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Lab;

/// <summary>The readiness workflow rehearsed through the real CLI: one run reports every problem.</summary>
[Collection(CliCollection.Name)]
public sealed class ReadinessRehearsalTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public void A_lab_profile_with_three_problems_gets_all_three_reported_in_one_run_and_exit_23()
    {
        var lab = new Rehearsal(cli, _ws);
        var (id, run) = lab.Start("readiness-three-gaps", Rehearsal.Readiness);
        run.ExitCode.Should().Be(10, run.ToString());

        var done = lab.Drive(id, run);

        done.ExitCode.Should().Be(23, done.ToString());
        done.Stdout.Should().Contain($"Instance {id} completed, but 3 of its 8 steps failed")
            .And.Contain("✘ connectivity: [probe.proxyDenied]")
            .And.Contain("✘ auditing: [mdi.auditingIncomplete]")
            .And.Contain("✘ nicTeaming: [mdi.nicTeamingWinPcap]")
            .And.Contain("What to do: ");
        var show = JsonNode.Parse(lab.Mdiflow("show", id, "--json").Stdout)!;
        show["status"]!.GetValue<string>().Should().Be("completed");
        show["steps"]!.AsArray().Where(s => s!["status"]!.GetValue<string>() == "failedContinued").Select(s => s!["id"]!.GetValue<string>())
            .Should().Equal("connectivity", "auditing", "nicTeaming");
        lab.Mdiflow("audit", id, "--verify").ExitCode.Should().Be(0);
    }

    [Fact]
    public void On_a_healthy_domain_controller_readiness_completes_with_exit_0()
    {
        var lab = new Rehearsal(cli, _ws);
        var (id, run) = lab.Start("healthy-dc", Rehearsal.Readiness);

        var done = lab.Drive(id, run);

        done.ExitCode.Should().Be(0, done.ToString());
        done.Stdout.Should().Contain($"Instance {id} completed.");
    }

    public void Dispose() => _ws.Dispose();
}
