using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Secrets;

namespace MdiFlow.Engine;

/// <summary>Checks the inputs given to a new instance against the declared ones, applying defaults.</summary>
internal static class InputBinder
{
    /// <exception cref="WorkflowValidationException">Every mistake in the inputs.</exception>
    public static JsonObject Bind(WorkflowDefinition definition, StartRequest request)
    {
        var errors = new List<WorkflowError>();
        var result = new JsonObject();
        foreach (var (name, _) in request.Inputs)
        {
            var declared = definition.Inputs.FirstOrDefault(i => i.Name == name);
            if (declared is null)
            {
                errors.Add(new WorkflowError($"inputs.{name}", $"the workflow declares no input '{name}'.{Suggestions.DidYouMean(name, definition.Inputs.Where(i => !i.Secret).Select(i => i.Name))} It declares: {Names(definition, secret: false)}.") { Code = WorkflowErrorCodes.InputValue, Subject = name });
            }
            else if (declared.Secret)
            {
                errors.Add(new WorkflowError($"inputs.{name}", $"'{name}' is a secret: give it by reference (env:VARIABLE or file:PATH), never as a value.") { Code = WorkflowErrorCodes.SecretValue, Subject = name });
            }
        }

        foreach (var (name, reference) in request.Secrets)
        {
            if (!definition.Inputs.Any(i => i.Name == name && i.Secret))
            {
                errors.Add(new WorkflowError($"secrets.{name}", $"the workflow declares no secret input '{name}'.{Suggestions.DidYouMean(name, definition.Inputs.Where(i => i.Secret).Select(i => i.Name))} It declares: {Names(definition, secret: true)}.") { Code = WorkflowErrorCodes.InputValue, Subject = name });
            }
            else if (!SecretReference.IsValid(reference))
            {
                errors.Add(new WorkflowError($"secrets.{name}", $"the secret '{name}' must be a reference: env:VARIABLE or file:PATH.") { Code = WorkflowErrorCodes.SecretValue, Subject = name });
            }
        }

        foreach (var input in definition.Inputs)
        {
            var path = $"inputs.{input.Name}";
            if (input.Secret)
            {
                if (input.Required && !request.Secrets.ContainsKey(input.Name))
                {
                    errors.Add(new WorkflowError(path, $"the secret input '{input.Name}' is required: give a reference to it (env:VARIABLE or file:PATH).") { Code = WorkflowErrorCodes.SecretMissing, Subject = input.Name });
                }

                continue;
            }

            var value = request.Inputs[input.Name] ?? input.Default?.DeepClone();
            if (value is null)
            {
                if (input.Required)
                {
                    errors.Add(new WorkflowError(path, $"the input '{input.Name}' is required: give it a value.") { Code = WorkflowErrorCodes.InputMissing, Subject = input.Name });
                }

                continue;
            }

            if (Coerce(value.DeepClone(), input.Type) is { } coerced)
            {
                result[input.Name] = coerced;
            }
            else
            {
                errors.Add(new WorkflowError(path, $"the input '{input.Name}' must be of type {input.Type}; '{value.ToJsonString()}' is not.") { Code = WorkflowErrorCodes.InputValue, Subject = input.Name });
            }
        }

        return errors.Count == 0 ? result : throw new WorkflowValidationException("The inputs", errors);
    }

    /// <summary>The inputs of a failed instance with <paramref name="change"/> applied, every changed value checked as at the start.</summary>
    /// <returns>The whole new set of input values, and the changed secret references.</returns>
    /// <exception cref="WorkflowValidationException">Every mistake in the change.</exception>
    public static (JsonObject Values, Dictionary<string, string> Secrets) Change(WorkflowDefinition definition, Instances.WorkflowInstance instance, InputChange change)
    {
        var errors = new List<WorkflowError>();
        var values = (JsonObject)instance.Inputs.DeepClone();
        foreach (var (name, value) in change.Inputs)
        {
            var declared = definition.Inputs.FirstOrDefault(i => i.Name == name);
            if (declared is null)
            {
                errors.Add(new WorkflowError($"inputs.{name}", $"the workflow declares no input '{name}'.{Suggestions.DidYouMean(name, definition.Inputs.Where(i => !i.Secret).Select(i => i.Name))} It declares: {Names(definition, secret: false)}.") { Code = WorkflowErrorCodes.InputValue, Subject = name });
            }
            else if (declared.Secret)
            {
                errors.Add(new WorkflowError($"inputs.{name}", $"'{name}' is a secret: give it by reference (env:VARIABLE or file:PATH), never as a value.") { Code = WorkflowErrorCodes.SecretValue, Subject = name });
            }
            else if (value is null)
            {
                if (declared.Required && declared.Default is null)
                {
                    errors.Add(new WorkflowError($"inputs.{name}", $"the input '{name}' is required: give it a value.") { Code = WorkflowErrorCodes.InputMissing, Subject = name });
                }
                else
                {
                    values.Remove(name);
                }
            }
            else if (Coerce(value.DeepClone(), declared.Type) is { } coerced)
            {
                values[name] = coerced;
            }
            else
            {
                errors.Add(new WorkflowError($"inputs.{name}", $"the input '{name}' must be of type {declared.Type}; '{value.ToJsonString()}' is not.") { Code = WorkflowErrorCodes.InputValue, Subject = name });
            }
        }

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, reference) in change.Secrets)
        {
            if (!definition.Inputs.Any(i => i.Name == name && i.Secret))
            {
                errors.Add(new WorkflowError($"secrets.{name}", $"the workflow declares no secret input '{name}'.{Suggestions.DidYouMean(name, definition.Inputs.Where(i => i.Secret).Select(i => i.Name))} It declares: {Names(definition, secret: true)}.") { Code = WorkflowErrorCodes.InputValue, Subject = name });
            }
            else if (!SecretReference.IsValid(reference))
            {
                errors.Add(new WorkflowError($"secrets.{name}", $"the secret '{name}' must be a reference: env:VARIABLE or file:PATH.") { Code = WorkflowErrorCodes.SecretValue, Subject = name });
            }
            else
            {
                secrets[name] = reference;
            }
        }

        if (change.Inputs.Count == 0 && change.Secrets.Count == 0)
        {
            errors.Add(new WorkflowError("inputs", "the change names no input.") { Code = WorkflowErrorCodes.InputValue });
        }

        return errors.Count == 0 ? (values, secrets) : throw new WorkflowValidationException("The changed inputs", errors);
    }

    /// <summary>Values from a command line arrive as text: "3" becomes a number, "true" a boolean, where declared so.</summary>
    private static JsonNode? Coerce(JsonNode value, string type)
    {
        var kind = value.GetValueKind();
        var text = kind == JsonValueKind.String ? value.GetValue<string>() : null;
        return type switch
        {
            "string" => kind == JsonValueKind.String ? value : JsonValue.Create(value.ToJsonString()),
            "number" when kind == JsonValueKind.Number => value,
            "number" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            "boolean" when kind is JsonValueKind.True or JsonValueKind.False => value,
            "boolean" when bool.TryParse(text, out var b) => JsonValue.Create(b),
            "object" when kind == JsonValueKind.Object => value,
            "array" when kind == JsonValueKind.Array => value,
            "object" or "array" when text is not null && TryParse(text) is { } parsed && parsed.GetValueKind() == (type == "object" ? JsonValueKind.Object : JsonValueKind.Array) => parsed,
            _ => null,
        };
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Names(WorkflowDefinition definition, bool secret)
    {
        var names = definition.Inputs.Where(i => i.Secret == secret).Select(i => i.Name).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
