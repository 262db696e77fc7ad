using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Expressions;

namespace MdiFlow.Definitions;

/// <summary>
/// Checks a definition against the installed activities: every activity exists, inputs are known and
/// complete, literal values have the right type, bindings and conditions parse and point at declared
/// inputs, secrets and earlier steps. Every mistake is reported at once, with its JSON path.
/// </summary>
public sealed class WorkflowValidator(ActivityCatalog catalog)
{
    /// <summary>Loads a file and validates it: structural and semantic errors together.</summary>
    public LoadResult LoadFile(string path)
    {
        var loaded = WorkflowLoader.LoadFile(path, out var text);
        return Check(loaded, () => text);
    }

    /// <summary>Parses JSON text and validates it.</summary>
    public LoadResult Parse(string json) => Check(WorkflowLoader.Parse(json), () => json);

    /// <summary>Validates a definition (for example one made with <see cref="WorkflowBuilder"/>).</summary>
    public IReadOnlyList<WorkflowError> Validate(WorkflowDefinition definition) => Validate(definition, JsonLineMap.Empty);

    private LoadResult Check(LoadResult loaded, Func<string> text)
    {
        if (loaded.Definition is null)
        {
            return loaded;
        }

        var errors = Validate(loaded.Definition, JsonLineMap.Build(text()));
        return errors.Count == 0 ? loaded : new LoadResult(null, errors);
    }

    private List<WorkflowError> Validate(WorkflowDefinition definition, JsonLineMap lines)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<WorkflowError>();
        void Error(string path, string message) => errors.Add(new WorkflowError(path, message, lines.LineOf(path)));

        var earlier = new HashSet<string>(StringComparer.Ordinal);
        var allSteps = definition.Steps.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            var path = $"$.steps[{i}]";
            var descriptor = catalog.Find(step.Uses);
            if (descriptor is null)
            {
                Error(path + ".uses", UnknownActivity(step.Uses));
            }
            else
            {
                CheckInputs(step, descriptor, path, Error);
            }

            foreach (var (bindingPath, text) in Bindings.Templates(step.With, path + ".with"))
            {
                try
                {
                    var template = Template.Parse(text);
                    var paths = template.Expressions.SelectMany(e => e.Paths()).ToList();
                    CheckReferences(paths, definition, earlier, allSteps, allowSecrets: true, bindingPath, Error);
                    if (descriptor is not null && paths.Any(p => p.Root == "secrets") && NoSecretsInput(descriptor, bindingPath[(path.Length + ".with.".Length)..]) is { } input)
                    {
                        Error(bindingPath, $"'{descriptor.Name}' passes '{input.Key}' where other people can read it (a process command line), so it must not hold a secret{(input.Value is { } alternative ? $"; pass the secret through {alternative}" : "")}.");
                    }
                }
                catch (ExpressionException ex)
                {
                    Error(bindingPath, $"the binding does not parse: {ex.Message}.");
                }
            }

            if (step.When is not null)
            {
                try
                {
                    var condition = Conditions.Parse(step.When);
                    CheckReferences(condition.Paths(), definition, earlier, allSteps, allowSecrets: false, path + ".when", Error);
                }
                catch (ExpressionException ex)
                {
                    Error(path + ".when", $"the condition does not parse: {ex.Message}. Conditions use paths, literals and == != < <= > >= && || ! in.");
                }
            }

            earlier.Add(step.Id);
        }

        return errors;
    }

    /// <summary>The <see cref="NoSecretsAttribute"/> input a binding path below <c>with</c> belongs to, if any.</summary>
    private static KeyValuePair<string, string?>? NoSecretsInput(ActivityDescriptor descriptor, string below)
    {
        var end = below.IndexOfAny(['.', '[']);
        var name = end < 0 ? below : below[..end];
        return descriptor.NoSecretInputs.TryGetValue(name, out var alternative) ? KeyValuePair.Create(name, alternative) : null;
    }

    private string UnknownActivity(string name)
    {
        var nearest = catalog.All.Select(d => d.Name).MinBy(n => Distance(n, name));
        var hint = nearest is not null && Distance(nearest, name) <= 3 ? $" Did you mean '{nearest}'?" : "";
        return $"unknown activity '{name}'.{hint} Run 'mdiflow activities' to list the installed ones.";
    }

    private static void CheckInputs(StepDefinition step, ActivityDescriptor descriptor, string path, Action<string, string> error)
    {
        foreach (var required in descriptor.RequiredInputs)
        {
            if (step.With[required] is null)
            {
                error(path + ".with", $"'{descriptor.Name}' requires the input '{required}'.");
            }
        }

        if (descriptor.Inputs is null)
        {
            return;
        }

        foreach (var (name, value) in step.With)
        {
            var inputPath = $"{path}.with.{name}";
            if (!descriptor.Inputs.Contains(name))
            {
                error(inputPath, $"'{descriptor.Name}' has no input '{name}'; its inputs are: {string.Join(", ", descriptor.Inputs)}.");
            }
            else if (descriptor.InputSchema["properties"]?[name] is JsonObject schema && !Fits(value, schema))
            {
                error(inputPath, $"'{descriptor.Name}' expects {Describe(schema)} for '{name}'.");
            }
        }
    }

    private static void CheckReferences(
        IEnumerable<PathExpression> paths,
        WorkflowDefinition definition,
        HashSet<string> earlier,
        HashSet<string> allSteps,
        bool allowSecrets,
        string at,
        Action<string, string> error)
    {
        foreach (var p in paths)
        {
            var first = p.Segments.FirstOrDefault() as string;
            switch (p.Root)
            {
                case "inputs" when first is null || definition.Inputs.All(x => x.Name != first || x.Secret):
                    var secret = definition.Inputs.Any(x => x.Name == first && x.Secret);
                    error(at, secret
                        ? $"'{p}' reads a secret input; bind it as secrets.{first}."
                        : $"'{p}' reads an input that is not declared; add it under \"inputs\" or fix the name.");
                    break;
                case "secrets" when !allowSecrets:
                    error(at, $"'{p}': conditions cannot read secrets.");
                    break;
                case "secrets" when first is null || !definition.Inputs.Any(x => x.Name == first && x.Secret):
                    error(at, $"'{p}' reads a secret that is not declared; declare it under \"inputs\" with \"secret\": true.");
                    break;
                case "steps" when first is null || !earlier.Contains(first):
                    error(at, first is not null && allSteps.Contains(first)
                        ? $"'{p}' binds to step '{first}', which runs later; a step can only read steps before it."
                        : $"'{p}' binds to an unknown step '{first}'.");
                    break;
                case "inputs" or "secrets" or "steps" or "instance":
                    break;
                default:
                    error(at, $"'{p}' starts with '{p.Root}', which is not a binding root; use one of: {string.Join(", ", BindingScope.Roots)}.");
                    break;
            }
        }
    }

    private static bool Fits(JsonNode? value, JsonObject schema)
    {
        if (value is JsonValue v && Truth.AsString(v) is { } s && Template.HasBindings(s))
        {
            return true; // Bound at run time.
        }

        var types = schema["type"] switch
        {
            JsonValue t => [t.GetValue<string>()],
            JsonArray a => a.Select(t => t!.GetValue<string>()).ToArray(),
            _ => null,
        };
        if (types is null)
        {
            return true;
        }

        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        return types.Any(t => t switch
        {
            "string" => kind == JsonValueKind.String,
            "integer" => kind == JsonValueKind.Number && Truth.AsNumber(value) is { } n && n == Math.Floor(n),
            "number" => kind == JsonValueKind.Number,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "array" => kind == JsonValueKind.Array,
            "object" => kind == JsonValueKind.Object,
            "null" => kind == JsonValueKind.Null,
            _ => true,
        });
    }

    private static string Describe(JsonObject schema) => schema["type"] switch
    {
        JsonValue t => $"a value of type {t}",
        JsonArray a => $"a value of type {string.Join(" or ", a.Select(t => t!.GetValue<string>()))}",
        _ => "another value",
    };

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
