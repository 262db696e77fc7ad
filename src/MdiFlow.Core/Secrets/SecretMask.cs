using System.Text.Json.Nodes;
using MdiFlow.Activities;

namespace MdiFlow.Secrets;

/// <summary>
/// Every secret value one attempt of a step has seen — those its secret bindings resolved and those the activity
/// registered itself — and the masking (<c>***</c>) of them in everything that leaves the attempt: its output, its
/// error (message, fix, details), its gate details and its log messages.
/// </summary>
internal sealed class SecretMask
{
    public const string Masked = "***";
    private readonly Lock _gate = new();
    private string[] _values = [];

    public bool IsEmpty => _values.Length == 0;

    public void Add(string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (_gate)
        {
            if (!_values.Contains(value, StringComparer.Ordinal))
            {
                // Longest first, so a secret that contains another is masked whole.
                _values = [.. _values.Append(value).OrderByDescending(v => v.Length)];
            }
        }
    }

    public string Mask(string text)
    {
        var values = _values;
        foreach (var value in values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, Masked, StringComparison.Ordinal);
            }
        }

        return text;
    }

    public string? MaskOrNull(string? text) => text is null ? null : Mask(text);

    /// <summary>A copy of <paramref name="node"/> with every string (values and property names) masked.</summary>
    public JsonNode? Mask(JsonNode? node) => node switch
    {
        _ when IsEmpty => node,
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Mask(p.Key), Mask(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Mask)]),
        JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Mask(s)),
        _ => node?.DeepClone(),
    };

    /// <summary>The result with every secret this attempt saw masked.</summary>
    public ActivityResult Mask(ActivityResult result)
    {
        if (IsEmpty)
        {
            return result;
        }

        return result switch
        {
            ActivityResult.Completed c => ActivityResult.Complete(Mask(c.Output)),
            ActivityResult.Failed f => ActivityResult.Fail(Mask(f.Error)),
            ActivityResult.Waiting w => ActivityResult.Wait(w.Gate with { Details = (JsonObject)Mask(w.Gate.Details)! }),
            _ => result,
        };
    }

    public ActivityError Mask(ActivityError error) => error with
    {
        Message = Mask(error.Message),
        Fix = MaskOrNull(error.Fix),
        Details = error.Details?.ToDictionary(d => d.Key, d => Mask(d.Value), StringComparer.Ordinal),
    };
}
