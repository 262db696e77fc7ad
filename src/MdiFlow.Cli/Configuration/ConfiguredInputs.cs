using System.Text.Json.Nodes;
using MdiFlow.Definitions;

namespace MdiFlow.Cli.Configuration;

/// <summary>
/// Workflow inputs the configuration supplies when the operator gives none: the sensor's proxy (<c>sensorApi.proxy</c>
/// fills <c>proxyUrl</c>) and its credential by reference (<c>sensorApi.proxyCredential</c> fills <c>proxyCredential</c>).
/// </summary>
internal static class ConfiguredInputs
{
    public static IReadOnlyList<string> Fill(WorkflowDefinition definition, JsonObject inputs, Dictionary<string, string> secrets, CliConfiguration configuration)
    {
        var filled = new List<string>();
        void Fill(string name, Setting setting, bool secret)
        {
            if (definition.Inputs.FirstOrDefault(i => i.Name == name) is { } input && input.Secret == secret
                && !inputs.ContainsKey(name) && !secrets.ContainsKey(name) && configuration.Get(setting) is { } value)
            {
                if (secret)
                {
                    secrets[name] = value.Value;
                }
                else
                {
                    inputs[name] = value.Value;
                }

                filled.Add($"{name} ({setting.Display}, from {value.Source})");
            }
        }

        Fill("proxyUrl", Settings.SensorApiProxy, secret: false);
        Fill("proxyCredential", Settings.SensorApiProxyCredential, secret: true);
        return filled;
    }
}
