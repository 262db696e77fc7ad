using System.CommandLine;
using MdiFlow.Cli.Commands;
using MdiFlow.Cli.Configuration;
using MdiFlow.Policy;

namespace MdiFlow.Cli.Hosting;

/// <summary>
/// The global options of one command line and the configuration they select: where the store is, the policy overlays
/// named, the configuration file, and verbosity.
/// </summary>
internal sealed record CliGlobals(StoreLocation Store, string? PolicyOption, string? ConfigOption, bool Verbose, CliConfiguration Configuration)
{
    public const string BesideStoreFile = "mdiflow.policy.json";

    public static CliGlobals From(ParseResult parsed)
    {
        var flags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Flag<T>(Option<T> option, Setting setting)
        {
            if (parsed.GetResult(option) is { Implicit: false } && parsed.GetValue(option) is { } value && value.ToString() is { Length: > 0 } text)
            {
                flags[setting.Key] = text;
            }
        }

        Flag(CommonOptions.Store, Settings.Store);
        Flag(CommonOptions.Policy, Settings.Policy);
        Flag(WorkerCommand.Host, Settings.WorkerHost);
        Flag(WorkerCommand.Interval, Settings.WorkerInterval);
        var configFile = parsed.GetValue(CommonOptions.Config);
        var configuration = CliConfiguration.Load(configFile, flags);
        var store = configuration.Get(Settings.Store)!.Value;
        return new CliGlobals(
            StoreLocation.Parse(store.Value, store.Source, configuration.FromFlag(Settings.Store)),
            parsed.GetValue(CommonOptions.Policy),
            configFile,
            parsed.GetValue(CommonOptions.Verbose),
            configuration);
    }

    /// <summary>
    /// The policies this command line names, each of which may only tighten the installed one: every layer's
    /// <c>policy</c> (<c>mdiflow.json</c>, <c>MDIFLOW_POLICY</c>, <c>--policy</c>) and <c>mdiflow.policy.json</c> beside the store.
    /// </summary>
    public IReadOnlyList<PolicyOverlay> Overlays()
    {
        var overlays = Configuration.Everywhere(Settings.Policy).Select(p => new PolicyOverlay(p.Value, p.Source)).ToList();
        var beside = Path.Combine(Store.Folder, BesideStoreFile);
        if (File.Exists(beside))
        {
            overlays.Add(new PolicyOverlay(beside, "beside the store"));
        }

        return overlays;
    }

    /// <summary>
    /// The global options to repeat in a printed command, so it reaches the same store under the same policy and
    /// configuration: each as it was given.
    /// </summary>
    public string Repeated =>
        Store.Argument
        + (string.IsNullOrWhiteSpace(ConfigOption) ? "" : $" --config {ShellText.Quote(ConfigOption)}")
        + (string.IsNullOrWhiteSpace(PolicyOption) ? "" : $" --policy {ShellText.Quote(PolicyOption)}");
}
