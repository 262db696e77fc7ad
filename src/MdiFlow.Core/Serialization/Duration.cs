using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace MdiFlow.Serialization;

/// <summary>Durations as workflow files write them: ISO 8601 (<c>PT30S</c>) or .NET <c>hh:mm:ss</c>.</summary>
public static class Duration
{
    /// <summary>Parses an ISO 8601 duration or a .NET time span; negative values are refused.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text.StartsWith('P') || text.StartsWith("-P", StringComparison.Ordinal))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }

        return value >= TimeSpan.Zero;
    }

    /// <summary>Formats a duration as ISO 8601.</summary>
    public static string Format(TimeSpan value) => XmlConvert.ToString(value);

    /// <summary>The message used wherever a duration does not parse.</summary>
    internal static string Expected => "a duration such as \"PT30S\" (ISO 8601) or \"00:00:30\"";
}

/// <summary>Reads durations in either accepted form, writes ISO 8601.</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Duration.TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not {Duration.Expected}.");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Duration.Format(value));
}
