using System.Text.Json;
using System.Text.Json.Serialization;

namespace MdiFlow.Serialization;

/// <summary>The one JSON configuration MdiFlow uses for inputs, outputs, documents and the CLI.</summary>
public static class MdiFlowJson
{
    /// <summary>camelCase, enums as camelCase strings, nulls omitted, comments and trailing commas read.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new DurationJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
