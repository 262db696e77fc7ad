using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Lab.Profiles;
using MdiFlow.Plugins.DefenderForIdentity;
using MdiFlow.Plugins.Standard;
using MdiFlow.Policy;
using MdiFlow.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Lab.Tests.Support;

/// <summary>
/// A rehearsal with the real engine in process: SQLite on a temporary file, the Defender for Identity and standard
/// activities, and a lab whose stand-in setup runs as a real process. Alice starts and does the manual tasks, bob
/// approves; switching the profile keeps the store and the lab state, as fixing a rehearsed cause does.
/// </summary>
internal sealed class EngineRehearsal : IAsyncDisposable
{
    public static readonly Actor Alice = new("alice", ActorSources.Asserted);
    public static readonly Actor Bob = new("bob", ActorSources.Asserted);

    private readonly TempDirectory _temp = new();
    private ServiceProvider? _services;

    private EngineRehearsal()
    {
    }

    public LabEnvironment Lab { get; private set; } = null!;

    public WorkflowEngine Engine => _services!.GetRequiredService<WorkflowEngine>();

    public InstanceId Id { get; private set; }

    /// <summary>Every gate acted on, in order, with its kind and rendered instructions.</summary>
    public List<(string Step, string Kind, string Instructions)> Gates { get; } = [];

    public string Store => _temp.Combine("mdiflow.db");

    public static async Task<EngineRehearsal> StartAsync(string profile, Action<JsonObject>? change = null)
    {
        var rehearsal = new EngineRehearsal();
        await rehearsal.UseProfileAsync(profile, change);
        return rehearsal;
    }

    /// <summary>Starts the lab (again) on a profile; the store and the lab state stay.</summary>
    public async Task UseProfileAsync(string profile, Action<JsonObject>? change = null)
    {
        await StopAsync();
        var path = Repository.ProfileFile(profile);
        if (change is not null)
        {
            var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
            change(json);
            path = _temp.Combine(profile + ".json");
            await File.WriteAllTextAsync(path, json.ToJsonString());
        }

        Lab = await LabEnvironment.StartAsync(new LabOptions { ProfilePath = path, StateDirectory = _temp.Combine("lab"), StandInCommand = TestLab.StandInCommand });
        var services = new ServiceCollection();
        services.AddMdiFlow(flow => flow
            .UseSqlite(Store)
            .UsePolicy(OrganisationPolicy.Parse("""{ "groups": { "change-board": ["bob"] } }""", "the rehearsal tests' policy"))
            .AddDefenderForIdentity()
            .UseDefenderForIdentityLab(Lab))
            .AddStandardActivities();
        _services = services.BuildServiceProvider();
    }

    /// <summary>Starts an instance of a workflow in the repository with the inputs a rehearsal supplies.</summary>
    public async Task<WorkflowInstance> StartInstanceAsync(string workflow = "mdi-sensor-deployment", JsonObject? inputs = null)
    {
        var load = _services!.GetRequiredService<WorkflowValidator>().LoadFile(Path.Combine(Repository.Root, "workflows", workflow + ".json"));
        load.Errors.Should().BeEmpty();
        var definition = load.Definition!;
        inputs ??= [];
        void Fill(string name, JsonNode? value)
        {
            if (definition.Inputs.Any(i => i.Name == name) && !inputs.ContainsKey(name) && value is not null)
            {
                inputs[name] = value;
            }
        }

        Fill("workspace", Lab.Profile.Tenant.Workspace);
        Fill("serviceAccount", Lab.Profile.ServiceAccounts.FirstOrDefault()?.Account);
        Fill("packageFolder", Path.Combine(Lab.SandboxDirectory, "packages"));
        Fill("extractTo", Path.Combine(Lab.SandboxDirectory, "extracted"));
        Fill("proxyUrl", Lab.Profile.Connectivity.SensorApi == LabSensorApiRoute.ProxyOnly ? Lab.ProxyAddress.ToString() : null);
        var secrets = new Dictionary<string, string>();
        if (Lab.Profile.Connectivity.SensorApi == LabSensorApiRoute.ProxyOnly && Lab.ProxyCredentialReference is { } credential)
        {
            secrets["proxyCredential"] = credential;
        }

        var instance = await Engine.StartAsync(definition, new StartRequest { Actor = Alice, Inputs = inputs, Secrets = secrets, Rehearsal = true, Labels = new Dictionary<string, string> { ["lab.profile"] = Lab.Profile.Name } });
        Id = instance.Id;
        return instance;
    }

    /// <summary>Runs the instance once, stopped as the lab's server is when it restarts.</summary>
    public async Task<RunResult> RunAsync()
    {
        using var restart = CancellationTokenSource.CreateLinkedTokenSource(Lab.ServerRestarting);
        return await Engine.RunAsync(Id, new RunRequest { Actor = Alice }, restart.Token);
    }

    /// <summary>Runs, does what people do at each gate (alice completes manual tasks, bob approves), and runs on until the run stops elsewhere.</summary>
    public async Task<WorkflowInstance> DriveAsync()
    {
        for (var round = 0; round < 12; round++)
        {
            var result = await RunAsync();
            if (result.Status != InstanceStatus.Waiting)
            {
                return result.Instance;
            }

            var step = result.Instance.Steps.Single(s => s.Status == StepStatus.Waiting);
            var instructions = step.Gate!.Details["instructions"]?.GetValue<string>() ?? "";
            Gates.Add((step.Id, step.Gate.Kind, instructions));
            var manual = step.Gate.Kind == "manualTask";
            await Engine.ActAsync(Id, new GateActionRequest
            {
                Action = manual ? GateAction.Complete : GateAction.Approve,
                Actor = manual ? Alice : Bob,
                Step = step.Id,
                Text = manual ? "Done in the portal" : "checks reviewed",
            });
        }

        throw new InvalidOperationException("The rehearsal kept stopping at gates.");
    }

    public async Task<WorkflowInstance> InstanceAsync() => await Engine.GetAsync(Id);

    public async Task<StepState> StepAsync(string id) => (await InstanceAsync()).Steps.Single(s => s.Id == id);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _temp.Dispose();
    }

    private async Task StopAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
            _services = null;
        }

        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }
    }
}
