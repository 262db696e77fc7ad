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
            Declared(definition, name, errors);
        }

        CheckSecrets(definition, request.Secrets, errors);
        foreach (var input in definition.Inputs)
        {
            if (input.Secret)
            {
                if (input.Required && !request.Secrets.ContainsKey(input.Name))
                {
                    errors.Add(new WorkflowError($"inputs.{input.Name}", $"the secret input '{input.Name}' is required: give a reference to it (env:VARIABLE or file:PATH).") { Code = WorkflowErrorCodes.SecretMissing, Subject = input.Name });
                }

                continue;
            }

            var value = request.Inputs[input.Name] ?? input.Default?.DeepClone();
            if (value is null)
            {
                if (input.Required)
                {
                    errors.Add(Missing(input.Name));
                }

                continue;
            }

            if (Typed(input, value, errors) is { } typed)
            {
                result[input.Name] = typed;
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
            if (Declared(definition, name, errors) is not { } declared)
            {
                continue;
            }

            if (value is null)
            {
                if (declared.Required && declared.Default is null)
                {
                    errors.Add(Missing(name));
                }
                else
                {
                    values.Remove(name);
                }
            }
            else if (Typed(declared, value, errors) is { } typed)
            {
                values[name] = typed;
            }
        }

        var secrets = CheckSecrets(definition, change.Secrets, errors);
        if (change.Inputs.Count == 0 && change.Secrets.Count == 0)
        {
            errors.Add(new WorkflowError("inputs", "the change names no input.") { Code = WorkflowErrorCodes.InputValue });
        }

        return errors.Count == 0 ? (values, secrets) : throw new WorkflowValidationException("The changed inputs", errors);
    }

    /// <summary>The declared, non-secret input a value is given for; null (with the mistake added) when there is none.</summary>
    private static InputDefinition? Declared(WorkflowDefinition definition, string name, List<WorkflowError> errors)
    {
        var declared = definition.Inputs.FirstOrDefault(i => i.Name == name);
        if (declared is null)
        {
            errors.Add(new WorkflowError($"inputs.{name}", $"the workflow declares no input '{name}'.{Suggestions.DidYouMean(name, definition.Inputs.Where(i => !i.Secret).Select(i => i.Name))} It declares: {Names(definition, secret: false)}.") { Code = WorkflowErrorCodes.InputValue, Subject = name });
            return null;
        }

        if (declared.Secret)
        {
            errors.Add(new WorkflowError($"inputs.{name}", $"'{name}' is a secret: give it by reference (env:VARIABLE or file:PATH), never as a value.") { Code = WorkflowErrorCodes.SecretValue, Subject = name });
            return null;
        }

        return declared;
    }

    /// <summary>The secret references that name a declared secret input and are references; the mistakes are added.</summary>
    private static Dictionary<string, string> CheckSecrets(WorkflowDefinition definition, IReadOnlyDictionary<string, string> given, List<WorkflowError> errors)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, reference) in given)
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

        return secrets;
    }

    private static WorkflowError Missing(string name) =>
        new($"inputs.{name}", $"the input '{name}' is required: give it a value.") { Code = WorkflowErrorCodes.InputMissing, Subject = name };

    /// <summary>The value as its declared type; null (with the mistake added) when it is not of it.</summary>
    private static JsonNode? Typed(InputDefinition input, JsonNode value, List<WorkflowError> errors)
    {
        if (Coerce(value.DeepClone(), input.Type) is { } coerced)
        {
            return coerced;
        }

        errors.Add(new WorkflowError($"inputs.{input.Name}", $"the input '{input.Name}' must be of type {input.Type}; '{value.ToJsonString()}' is not.") { Code = WorkflowErrorCodes.InputValue, Subject = input.Name });
        return null;
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
