using System.Text.Json.Nodes;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Lab;

/// <summary>Drives the MDI deployment workflow through the real CLI against the rehearsal lab.</summary>
public sealed class Rehearsal(PublishedCli cli, Workspace ws)
{
    public static string Workflow => Path.Combine(PublishedCli.RepositoryRoot, "workflows", "mdi-sensor-deployment.json");

    public List<CliResult> Outputs { get; } = [];

    public CliResult Mdiflow(params string[] args) => Mdiflow(null, args);

    public CliResult Mdiflow(IDictionary<string, string>? environment, params string[] args)
    {
        var result = cli.Mdiflow(ws.Root, environment, [.. args, "--store", ws.Store]);
        Outputs.Add(result);
        return result;
    }

    /// <summary>The lab state of one rehearsal: each instance has its own simulated server and tenant.</summary>
    public string LabState(string id) => ws.PathOf(Path.Combine(".mdiflow-lab", id));

    public int InstallCount(string id)
    {
        var file = Path.Combine(LabState(id), "host", "install-count");
        return File.Exists(file) ? int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public static string Readiness => Path.Combine(PublishedCli.RepositoryRoot, "workflows", "mdi-readiness.json");

    /// <summary>Starts a rehearsal of <paramref name="workflow"/> (the deployment by default) as alice; returns the instance id and the run's result.</summary>
    public (string Id, CliResult Run) Start(string profile, string? workflow = null)
    {
        var run = Mdiflow("run", workflow ?? Workflow, "--lab", profile, "--as", "alice", "--json");
        var id = JsonNode.Parse(run.Stdout)?["instanceId"]?.GetValue<string>() ?? throw new InvalidOperationException(run.ToString());
        return (id, run);
    }

    /// <summary>Does what people do at each gate (alice does the portal task, bob approves) and resumes, until the run stops elsewhere.</summary>
    public CliResult Drive(string id, CliResult last, string? switchTo = null)
    {
        for (var round = 0; round < 8; round++)
        {
            if (last.ExitCode != 10)
            {
                return last;
            }

            var waiting = JsonNode.Parse(Mdiflow("show", id, "--json").Stdout)!["waitingAt"]!;
            var step = waiting["step"]!.GetValue<string>();
            var acted = waiting["kind"]!.GetValue<string>() == "manualTask"
                ? Mdiflow("complete", id, "--step", step, "--evidence", "Opened Settings > Identities; role groups and gMSA credentials set", "--as", "alice")
                : Mdiflow("approve", id, "--step", step, "--comment", "checks reviewed", "--as", "bob");
            if (acted.ExitCode != 0)
            {
                throw new InvalidOperationException($"acting at '{step}' failed: {acted}");
            }

            last = switchTo is null ? Mdiflow("resume", id) : Mdiflow("resume", id, "--lab", switchTo);
        }

        return last;
    }

    /// <summary>Acts at each gate and resumes until <paramref name="gate"/> is approved (or completed); the instance is then ready.</summary>
    public void ActUntil(string id, string gate)
    {
        for (var round = 0; round < 8; round++)
        {
            var waiting = JsonNode.Parse(Mdiflow("show", id, "--json").Stdout)!["waitingAt"] ?? throw new InvalidOperationException($"instance {id} does not wait at a gate");
            var step = waiting["step"]!.GetValue<string>();
            var acted = waiting["kind"]!.GetValue<string>() == "manualTask"
                ? Mdiflow("complete", id, "--step", step, "--evidence", "done", "--as", "alice")
                : Mdiflow("approve", id, "--step", step, "--comment", "checks reviewed", "--as", "bob");
            if (acted.ExitCode != 0)
            {
                throw new InvalidOperationException($"acting at '{step}' failed: {acted}");
            }

            if (step == gate)
            {
                return;
            }

            Mdiflow("resume", id).ExitCode.Should().Be(10, $"the run stops at the next gate after '{step}'");
        }

        throw new InvalidOperationException($"instance {id} never reached '{gate}'");
    }

    /// <summary>How many times each step completed, from the journal.</summary>
    public Dictionary<string, int> Completions(string id) =>
        JsonNode.Parse(Mdiflow("audit", id, "--json").Stdout)!["entries"]!.AsArray()
            .Where(e => e!["kind"]!.GetValue<string>() is "step.completed" or "gate.satisfied")
            .GroupBy(e => e!["step"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.Count());
}
