using System.CommandLine;
using MdiFlow.Cli.Commands;
using MdiFlow.Policy;

namespace MdiFlow.Cli.Hosting;

/// <summary>The global options of one command line: where the store is, the policy files it names, and verbosity.</summary>
internal sealed record CliGlobals(StoreLocation Store, string? PolicyOption, bool Verbose)
{
    public const string PolicyVariable = "MDIFLOW_POLICY";
    public const string BesideStoreFile = "mdiflow.policy.json";

    public static CliGlobals From(ParseResult parsed) =>
        new(StoreLocation.Resolve(parsed.GetValue(CommonOptions.Store)), parsed.GetValue(CommonOptions.Policy), parsed.GetValue(CommonOptions.Verbose));

    /// <summary>
    /// The policies this command line names, each of which may only tighten the installed one: <c>--policy</c>,
    /// <c>MDIFLOW_POLICY</c>, and <c>mdiflow.policy.json</c> beside the store.
    /// </summary>
    public IReadOnlyList<PolicyOverlay> Overlays()
    {
        var overlays = new List<PolicyOverlay>();
        if (!string.IsNullOrWhiteSpace(PolicyOption))
        {
            overlays.Add(new PolicyOverlay(PolicyOption, "--policy"));
        }

        if (Environment.GetEnvironmentVariable(PolicyVariable) is { Length: > 0 } variable)
        {
            overlays.Add(new PolicyOverlay(variable, PolicyVariable));
        }

        var beside = Path.Combine(Store.Folder, BesideStoreFile);
        if (File.Exists(beside))
        {
            overlays.Add(new PolicyOverlay(beside, "beside the store"));
        }

        return overlays;
    }

    /// <summary>The global options to repeat in a printed command, so it reaches the same store under the same policy.</summary>
    public string Repeated => Store.Argument + (string.IsNullOrWhiteSpace(PolicyOption) ? "" : $" --policy {Quote(PolicyOption)}");

    private static string Quote(string text) => text.Contains(' ', StringComparison.Ordinal) ? $"\"{text}\"" : text;
}
