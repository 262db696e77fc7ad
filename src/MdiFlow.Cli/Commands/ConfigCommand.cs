using System.CommandLine;
using System.Text.Json.Nodes;
using MdiFlow.Cli.Configuration;
using MdiFlow.Cli.Hosting;
using MdiFlow.Cli.Output;
using MdiFlow.Policy;

namespace MdiFlow.Cli.Commands;

/// <summary><c>mdiflow config show</c>: the configuration in effect, each value with where it came from, secrets masked.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var show = new Command("show", "Print the configuration in effect: every setting, its value and where it came from (built-in default < system mdiflow.json < user mdiflow.json < --config FILE < MDIFLOW_* < flags). Secrets are shown only as their references.") { json };
        show.SetAction(async parsed =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var globals = parsed.Globals();
            var configuration = globals.Configuration;
            var overlays = globals.Overlays();
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(output, new JsonObject
                {
                    ["settings"] = new JsonArray([.. Settings.All.Where(s => s != Settings.Policy).Select(s => (JsonNode)new JsonObject
                    {
                        ["key"] = s.Display,
                        ["value"] = configuration.Get(s) is { } v ? SettingValues.Shown(s, v.Value) : null,
                        ["source"] = configuration.Get(s)?.Source,
                        ["variable"] = s.Variable,
                        ["secret"] = s.Secret,
                    })]),
                    ["files"] = new JsonArray([.. configuration.Files.Select(f => (JsonNode)JsonValue.Create(f))]),
                    ["policy"] = new JsonObject
                    {
                        ["installed"] = InstalledPolicy.SystemPath,
                        ["overlays"] = new JsonArray([.. overlays.Select(o => (JsonNode)new JsonObject { ["path"] = o.Path, ["source"] = o.Origin })]),
                    },
                });
                return ExitCodes.Done;
            }

            await output.WriteLineAsync("The configuration in effect (lowest first: built-in default < system mdiflow.json < user mdiflow.json < --config FILE < MDIFLOW_* < flags):").ConfigureAwait(false);
            var width = Settings.All.Max(s => s.Display.Length);
            var rows = Settings.All.Where(s => s != Settings.Policy)
                .Select(s => (Setting: s, Value: configuration.Get(s)))
                .Select(r => (r.Setting, Shown: r.Value is { } v ? TerminalText.Safe(SettingValues.Shown(r.Setting, v.Value)) : "(not set)", Source: r.Value?.Source))
                .ToList();
            var valueWidth = Math.Min(60, rows.Max(r => r.Shown.Length));
            foreach (var (setting, shown, source) in rows)
            {
                await output.WriteLineAsync($"  {setting.Display.PadRight(width)}  {shown.PadRight(valueWidth)}  {(source is null ? "" : $"[{TerminalText.Safe(source)}]")}".TrimEnd()).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"Files: {TerminalText.Safe(string.Join("; ", configuration.Files))}.").ConfigureAwait(false);
            await output.WriteLineAsync($"Policy: the one installed at {InstalledPolicy.SystemPath} (not configuration: only an administrator changes it)"
                + (overlays.Count == 0 ? ", with no overlays." : $", tightened by {TerminalText.Safe(string.Join(", ", overlays.Select(o => $"{o.Path} ({o.Origin})")))}; an overlay may only tighten it.")).ConfigureAwait(false);
            await output.WriteLineAsync("Every setting can also be set as MDIFLOW_<SECTION>__<NAME> (for example MDIFLOW_GRAPH__TENANTID); see docs/configuration.md.").ConfigureAwait(false);
            return ExitCodes.Done;
        });
        var command = new Command("config", "The configuration: mdiflow.json files, MDIFLOW_* variables and flags.") { show };
        return command;
    }
}
