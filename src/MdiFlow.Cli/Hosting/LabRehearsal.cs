using System.Reflection;
using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Lab;
using MdiFlow.Lab.Profiles;
using MdiFlow.Policy;

namespace MdiFlow.Cli.Hosting;

/// <summary>Starts the rehearsal lab for <c>--lab</c> runs and for every later command that runs a lab instance.</summary>
internal static class LabRehearsal
{
    public const string DefaultProfile = "healthy-dc";

    /// <summary>Who may approve in a rehearsal when no organisation policy is given.</summary>
    public static OrganisationPolicy Policy { get; } = OrganisationPolicy.Parse(
        """{ "groups": { "change-board": ["bob", "carol", "dave"] } }""",
        "the built-in rehearsal policy (change-board: bob, carol, dave)");

    /// <summary>
    /// Starts the lab's servers for a profile. Its state (the one simulated server of this store) lives beside the
    /// store and survives a switch of profile, as the real server survives the fix of a rehearsed cause.
    /// </summary>
    public static async Task<LabEnvironment> StartAsync(StoreLocation location, string profile, CancellationToken cancellationToken)
    {
        var state = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(location.Target)) ?? ".", ".mdiflow-lab");
        try
        {
            return await LabEnvironment.StartAsync(new LabOptions { ProfilePath = profile, StateDirectory = state, StandInCommand = StandInCommand() }, cancellationToken).ConfigureAwait(false);
        }
        catch (LabProfileException ex)
        {
            throw new UsageException($"The lab profile '{profile}' cannot be used: {ex.Message} Built-in profiles: {string.Join(", ", LabProfile.BuiltInNames)}.");
        }
    }

    /// <summary>
    /// Fills the workflow's inputs that a rehearsal can supply and the operator did not give: the profile's
    /// workspace and service account, a freshly built sensor package, and the lab proxy when the profile needs one.
    /// </summary>
    public static IReadOnlyList<string> FillInputs(WorkflowDefinition definition, JsonObject inputs, Dictionary<string, string> secrets, LabEnvironment lab)
    {
        var filled = new List<string>();
        var needsProxy = lab.Profile.Connectivity.SensorApi == LabSensorApiRoute.ProxyOnly;
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

        Fill("workspace", () => lab.Profile.Tenant.Workspace);
        Fill("serviceAccount", () => lab.Profile.ServiceAccounts.FirstOrDefault()?.Account);
        Fill("package", () => lab.CreateSensorPackage());
        Fill("extractTo", () => Path.Combine(lab.Options.StateDirectory, "extracted"));
        Fill("proxyUrl", () => needsProxy ? lab.ProxyAddress.ToString() : null);
        Fill("proxyCredential", () => needsProxy ? lab.ProxyCredentialReference : null);
        return filled;
    }

    private static IReadOnlyList<string> StandInCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location ?? typeof(LabRehearsal).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [host, entry, "lab-setup"]
            : [host, "lab-setup"];
    }
}
