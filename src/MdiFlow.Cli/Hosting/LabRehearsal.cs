using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Instances;
using MdiFlow.Lab;
using MdiFlow.Lab.Profiles;
using MdiFlow.Policy;

namespace MdiFlow.Cli.Hosting;

/// <summary>Starts the rehearsal lab of one instance for <c>--lab</c> runs and for every later command that runs it.</summary>
internal static class LabRehearsal
{
    public const string DefaultProfile = "healthy-dc";

    /// <summary>The label that holds the lab profile a rehearsal runs against.</summary>
    public const string ProfileLabel = "lab.profile";

    /// <summary>The rehearsal's people who may approve: the change board of every rehearsal.</summary>
    public static IReadOnlyList<string> Board { get; } = ["bob", "carol", "dave"];

    /// <summary>Everyone a rehearsal can be played by: alice does the hands-on tasks, the board approves.</summary>
    public static IReadOnlyList<string> People { get; } = ["alice", .. Board];

    /// <summary>
    /// The policy of a rehearsal: the installed policy's rules and floors, with the rehearsal's people (bob, carol, dave)
    /// in every group it names and in <c>change-board</c>, so a workflow's approvers resolve to lab identities that can
    /// be asserted with <c>--as</c>. A rehearsal never performs real effects, so these approvals move nothing real.
    /// </summary>
    public static OrganisationPolicy PolicyFor(OrganisationPolicy installed)
    {
        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { ["change-board"] = Board };
        foreach (var name in installed.Groups.Keys)
        {
            groups[name] = Board;
        }

        return installed with { Groups = groups, Source = $"{installed.Source}, with the rehearsal's people ({string.Join(", ", Board)}) in every group" };
    }

    /// <summary>
    /// The state folder of one rehearsal instance, under the store's folder (the SQLite file's folder, else the current
    /// directory; never anything derived from a connection string): each rehearsal has its own simulated server and tenant.
    /// </summary>
    public static string StateDirectory(StoreLocation location, InstanceId instance) =>
        Path.Combine(location.Folder, ".mdiflow-lab", instance.Value);

    /// <summary>Starts the lab's servers for one instance and profile. Its state survives a switch of profile, as a real server survives the fix of a rehearsed cause.</summary>
    public static async Task<LabEnvironment> StartAsync(StoreLocation location, InstanceId instance, string profile, CancellationToken cancellationToken)
    {
        try
        {
            return await LabEnvironment.StartAsync(
                new LabOptions { ProfilePath = profile, StateDirectory = StateDirectory(location, instance), StandInCommand = StandInCommand(), InstanceId = instance },
                cancellationToken).ConfigureAwait(false);
        }
        catch (LabProfileException ex)
        {
            throw new UsageException($"The lab profile '{profile}' cannot be used: {ex.Message} Built-in profiles: {string.Join(", ", LabProfile.BuiltInNames)}.");
        }
    }

    /// <summary>
    /// Fills the workflow's inputs that a rehearsal can supply and the operator did not give: the profile's
    /// workspace and service account, folders in the rehearsal's sandbox for the package (downloaded through the lab's
    /// Graph) and its extraction, and the lab proxy when the profile needs one.
    /// </summary>
    public static IReadOnlyList<string> FillInputs(WorkflowDefinition definition, JsonObject inputs, Dictionary<string, string> secrets, LabEnvironment lab) =>
        FillInputs(definition, inputs, secrets, lab.Profile, lab.SandboxDirectory, lab.ProxyAddress.ToString(), lab.ProxyCredentialReference);

    /// <summary>
    /// The same for <c>plan --lab</c>, which starts no lab: the profile's values, and the places a rehearsal's lab would
    /// give (its sandbox, its proxy) named as such.
    /// </summary>
    public static IReadOnlyList<string> FillPlannedInputs(WorkflowDefinition definition, JsonObject inputs, Dictionary<string, string> secrets, string profile)
    {
        LabProfile loaded;
        try
        {
            loaded = LabProfile.Load(profile);
        }
        catch (LabProfileException ex)
        {
            throw new UsageException($"The lab profile '{profile}' cannot be used: {ex.Message} Built-in profiles: {string.Join(", ", LabProfile.BuiltInNames)}.");
        }

        return FillInputs(definition, inputs, secrets, loaded, "<the rehearsal's sandbox>", "http://127.0.0.1:<the lab proxy's port>/", "file:<the rehearsal's sandbox>/proxy-credential");
    }

    private static List<string> FillInputs(WorkflowDefinition definition, JsonObject inputs, Dictionary<string, string> secrets, LabProfile profile, string sandbox, string proxy, string? proxyCredential)
    {
        var filled = new List<string>();
        var needsProxy = profile.Connectivity.SensorApi == LabSensorApiRoute.ProxyOnly;
        void Fill(string name, Func<string?> value)
        {
            if (definition.Inputs.FirstOrDefault(i => i.Name == name) is { } input && !inputs.ContainsKey(name) && !secrets.ContainsKey(name) && value() is { } v)
            {
                if (input.Secret)
                {
                    secrets[name] = v;
                }
                else
                {
                    inputs[name] = v;
                }

                filled.Add(name);
            }
        }

        Fill("workspace", () => profile.Tenant.Workspace);
        Fill("serviceAccount", () => profile.ServiceAccounts.FirstOrDefault()?.Account);
        Fill("packageFolder", () => Path.Combine(sandbox, "packages"));
        Fill("extractTo", () => Path.Combine(sandbox, "extracted"));
        Fill("proxyUrl", () => needsProxy ? proxy : null);
        Fill("proxyCredential", () => needsProxy ? proxyCredential : null);
        return filled;
    }

    /// <summary>This program, run as the stand-in setup (<c>mdiflow lab-setup</c>), as a published file or through dotnet.</summary>
    private static IReadOnlyList<string> StandInCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [host, Path.Combine(AppContext.BaseDirectory, "mdiflow.dll"), "lab-setup"]
            : [host, "lab-setup"];
    }
}
