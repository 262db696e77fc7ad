using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Expressions;

namespace MdiFlow.Definitions;

/// <summary>
/// The one public way to load a workflow: reads it and checks it against the installed activities in one pass, so
/// every mistake is reported at once, each with its JSON path, its line and, for a mistyped name, the name that was
/// likely meant. It checks the structure, durations and types, that every activity exists, that inputs are known and
/// complete, that bindings and conditions parse and read declared inputs, secrets, earlier steps and output fields
/// those steps' activities declare.
/// </summary>
public sealed class WorkflowValidator(ActivityCatalog catalog)
{
    /// <summary>Loads a file and validates it: structural and semantic mistakes together.</summary>
    public LoadResult LoadFile(string path)
    {
        var draft = WorkflowLoader.ReadFile(path, out _);
        return Check(draft);
    }

    /// <summary>Parses JSON text and validates it: structural and semantic mistakes together.</summary>
    public LoadResult Parse(string json) => Check(WorkflowLoader.Read(json));

    /// <summary>Validates a definition (for example one made with <see cref="WorkflowBuilder"/>).</summary>
    public IReadOnlyList<WorkflowError> Validate(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new Pass(catalog, definition, JsonLineMap.Empty).Run().Errors;
    }

    private LoadResult Check(Draft draft)
    {
        if (draft.Definition is null)
        {
            return draft.ToResult();
        }

        var pass = new Pass(catalog, draft.Definition, draft.Lines).Run();
        var errors = draft.Errors.Concat(pass.Errors)
            .Select((e, i) => (e, i))
            .OrderBy(x => x.e.Line ?? int.MaxValue)
            .ThenBy(x => x.i)
            .Select(x => x.e)
            .ToList();
        return new LoadResult(errors.Count == 0 ? draft.Definition : null, errors) { Warnings = pass.Warnings };
    }

    /// <summary>One validation of one definition.</summary>
    private sealed class Pass(ActivityCatalog catalog, WorkflowDefinition definition, JsonLineMap lines)
    {
        private readonly Dictionary<string, StepDefinition> _earlier = new(StringComparer.Ordinal);
        private readonly HashSet<string> _allSteps = definition.Steps.Select(s => s.Id).Where(id => id.Length > 0).ToHashSet(StringComparer.Ordinal);

        public List<WorkflowError> Errors { get; } = [];

        public List<WorkflowError> Warnings { get; } = [];

        public Pass Run()
        {
            CheckDefaults();
            for (var i = 0; i < definition.Steps.Count; i++)
            {
                var step = definition.Steps[i];
                var path = $"$.steps[{i}]";
                if (step.Uses.Length == 0)
                {
                    continue; // a step that could not be read; the reader said why
                }

                CheckStep(step, path);
                if (step.Id.Length > 0)
                {
                    _earlier.TryAdd(step.Id, step);
                }
            }

            return this;
        }

        /// <summary>The steps whose status the current step's condition reads: reading their output is then guarded.</summary>
        private HashSet<string> _guarded = [];

        /// <summary>Whether the binding being checked is in a condition (a continued step's output reads as null there, harmlessly).</summary>
        private bool _inCondition;

        private void CheckStep(StepDefinition step, string path)
        {
            _guarded = Guarded(step.When);
            var descriptor = catalog.Find(step.Uses);
            if (descriptor is null)
            {
                Error(path + ".uses", WorkflowErrorCodes.UnknownActivity, $"unknown activity '{step.Uses}'; no installed activity has that name.{Suggestions.DidYouMean(step.Uses, catalog.All.Select(d => d.Name))}", step.Uses);
            }
            else
            {
                CheckInputs(step, descriptor, path);
                if (step.OnFailure == StepFailure.Continue && descriptor.IsGate)
                {
                    Error(path + ".onFailure", WorkflowErrorCodes.OnFailure, $"step '{step.Id}' is a gate ({descriptor.Name}); a gate cannot be continued past when it fails, or a misconfigured approval would let the run go on without one. Remove \"onFailure\".");
                }
            }

            foreach (var (bindingPath, text) in Bindings.Templates(step.With, path + ".with"))
            {
                try
                {
                    var template = Template.Parse(text);
                    var paths = template.Expressions.SelectMany(e => e.Paths()).ToList();
                    CheckReferences(paths, allowSecrets: true, bindingPath);
                    if (descriptor is not null && paths.Any(p => p.Root == "secrets") && NoSecretsInput(descriptor, bindingPath[(path.Length + ".with.".Length)..]) is { } input)
                    {
                        Error(bindingPath, WorkflowErrorCodes.SecretExposed, $"'{descriptor.Name}' passes '{input.Key}' where other people can read it (a process command line), so it must not hold a secret{(input.Value is { } alternative ? $"; pass the secret through {alternative}" : "")}.");
                    }
                }
                catch (ExpressionException ex)
                {
                    Error(bindingPath, WorkflowErrorCodes.Binding, $"the binding does not parse: {ex.Message}.");
                }
            }

            if (step.When is not null)
            {
                try
                {
                    _inCondition = true;
                    CheckReferences(Conditions.Parse(step.When).Paths(), allowSecrets: false, path + ".when");
                }
                catch (ExpressionException ex)
                {
                    Error(path + ".when", WorkflowErrorCodes.Binding, $"the condition does not parse: {ex.Message}. Conditions use paths, literals and == != < <= > >= && || ! in.");
                }
                finally
                {
                    _inCondition = false;
                }
            }
        }

        private static HashSet<string> Guarded(string? when)
        {
            try
            {
                return when is null ? [] : [.. Conditions.Parse(when).Paths().Where(p => p.Root == "steps" && p.Segments is [string, "status", ..]).Select(p => (string)p.Segments[0])];
            }
            catch (ExpressionException)
            {
                return [];
            }
        }

        private void CheckDefaults()
        {
            foreach (var input in definition.Inputs.Where(i => i.Default is not null))
            {
                if (!JsonTypes.Fits(input.Default, new JsonObject { ["type"] = input.Type }))
                {
                    Error($"$.inputs.{input.Name}.default", WorkflowErrorCodes.InputDefault, $"the default of '{input.Name}' is {input.Default!.ToJsonString()}, which is not of its type {input.Type}.", input.Name);
                }
            }
        }

        private void CheckInputs(StepDefinition step, ActivityDescriptor descriptor, string path)
        {
            foreach (var required in descriptor.RequiredInputs)
            {
                if (step.With[required] is null)
                {
                    Error(path + ".with", WorkflowErrorCodes.StepInput, $"'{descriptor.Name}' requires the input '{required}'.", required);
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
                    Error(inputPath, WorkflowErrorCodes.StepInput, $"'{descriptor.Name}' has no input '{name}'.{Suggestions.DidYouMean(name, descriptor.Inputs)} Its inputs are: {string.Join(", ", descriptor.Inputs)}.", name);
                }
                else if (descriptor.InputSchema["properties"]?[name] is JsonObject schema && !JsonTypes.Fits(value, schema))
                {
                    Error(inputPath, WorkflowErrorCodes.StepInput, $"'{descriptor.Name}' expects {JsonTypes.Describe(schema)} for '{name}'.", name);
                }
            }
        }

        private void CheckReferences(IEnumerable<PathExpression> paths, bool allowSecrets, string at)
        {
            foreach (var p in paths)
            {
                var first = p.Segments.FirstOrDefault() as string;
                switch (p.Root)
                {
                    case "inputs" when first is null || definition.Inputs.All(x => x.Name != first || x.Secret):
                        var secret = definition.Inputs.Any(x => x.Name == first && x.Secret);
                        Error(at, WorkflowErrorCodes.Binding, secret
                            ? $"'{p}' reads a secret input; bind it as secrets.{first}."
                            : $"'{p}' reads an input that is not declared.{Suggestions.DidYouMean(first ?? "", definition.Inputs.Where(i => !i.Secret).Select(i => i.Name))} Declare it under \"inputs\" or fix the name.", first);
                        break;
                    case "secrets" when !allowSecrets:
                        Error(at, WorkflowErrorCodes.Binding, $"'{p}': conditions cannot read secrets.");
                        break;
                    case "secrets" when first is null || !definition.Inputs.Any(x => x.Name == first && x.Secret):
                        Error(at, WorkflowErrorCodes.Binding, $"'{p}' reads a secret that is not declared.{Suggestions.DidYouMean(first ?? "", definition.Inputs.Where(i => i.Secret).Select(i => i.Name))} Declare it under \"inputs\" with \"secret\": true.", first);
                        break;
                    case "steps":
                        CheckStepReference(p, first, at);
                        break;
                    case "inputs" or "secrets" or "instance":
                        break;
                    default:
                        Error(at, WorkflowErrorCodes.Binding, $"'{p}' starts with '{p.Root}', which is not a binding root.{Suggestions.DidYouMean(p.Root, BindingScope.Roots)} Use one of: {string.Join(", ", BindingScope.Roots)}.", p.Root);
                        break;
                }
            }
        }

        private void CheckStepReference(PathExpression p, string? stepId, string at)
        {
            if (stepId is null || !_earlier.TryGetValue(stepId, out var step))
            {
                Error(at, WorkflowErrorCodes.Binding, stepId is not null && _allSteps.Contains(stepId)
                    ? $"'{p}' binds to step '{stepId}', which runs later; a step can only read steps before it."
                    : $"'{p}' binds to an unknown step '{stepId}'.{Suggestions.DidYouMean(stepId ?? "", _earlier.Keys)}", stepId);
                return;
            }

            var field = p.Segments.Count > 1 ? p.Segments[1] as string : null;
            if (field is not ("output" or "status" or "attempts"))
            {
                Error(at, WorkflowErrorCodes.Binding, $"'{p}' reads '{field ?? p.Segments.ElementAtOrDefault(1)?.ToString() ?? "nothing"}' of step '{stepId}'; a step has output, status and attempts.{Suggestions.DidYouMean(field ?? "", StepFields)}", field);
                return;
            }

            if (field != "output" || catalog.Find(step.Uses) is not { } activity)
            {
                return;
            }

            if (step.OnFailure == StepFailure.Continue && !_inCondition && !_guarded.Contains(stepId))
            {
                Warnings.Add(new WorkflowError(at, $"'{p}' reads the output of step '{stepId}', which has \"onFailure\": \"continue\": when it fails the run goes on and its output is null. Check it first (\"when\": \"steps.{stepId}.status == 'completed'\").", lines.LineOf(at)) { Code = WorkflowErrorCodes.ContinuedOutput, Subject = stepId });
            }

            if (OutputFields.Problem(activity, p.Segments.Skip(2).ToList()) is { } problem)
            {
                Error(at, WorkflowErrorCodes.Binding, $"'{p}' reads {problem.Text}", problem.Field);
            }
        }

        private static readonly string[] StepFields = ["output", "status", "attempts"];

        /// <summary>The <see cref="NoSecretsAttribute"/> input a binding path below <c>with</c> belongs to, if any.</summary>
        private static KeyValuePair<string, string?>? NoSecretsInput(ActivityDescriptor descriptor, string below)
        {
            var end = below.IndexOfAny(['.', '[']);
            var name = end < 0 ? below : below[..end];
            return descriptor.NoSecretInputs.TryGetValue(name, out var alternative) ? KeyValuePair.Create(name, alternative) : null;
        }

        private void Error(string path, string code, string message, string? subject = null) =>
            Errors.Add(new WorkflowError(path, message, lines.LineOf(path)) { Code = code, Subject = subject });
    }
}
