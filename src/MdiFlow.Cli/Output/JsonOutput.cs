using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Cli.Output;

/// <summary>Writes the one JSON document of <c>--json</c> to standard output.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(MdiFlowJson.Options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, JsonNode? document) =>
        output.WriteLine(document?.ToJsonString(Indented) ?? "null");
}
