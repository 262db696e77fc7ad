using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Definitions;

/// <summary>
/// Builds a workflow in C#. <see cref="Build"/> passes the result through the same reader as JSON files,
/// so a built workflow and its JSON twin are the same model and are checked the same way.
/// </summary>
/// <example><code>
/// var definition = new WorkflowBuilder("hello")
///     .Input("name", new InputDefinition { Name = "name", Required = true })
///     .Step("greet", "process.run", new { file = "echo", arguments = new[] { "{{ inputs.name }}" } })
///     .Build();
/// </code></example>
public sealed class WorkflowBuilder
{
    private readonly List<InputDefinition> _inputs = [];
    private readonly List<StepDefinition> _steps = [];
    private readonly string _id;
    private string _version = "1";
    private string? _title;
    private RetryPolicy? _retry;

    /// <summary>Starts a workflow with an id.</summary>
    public WorkflowBuilder(string id) => _id = id;

    /// <summary>Sets the version.</summary>
    public WorkflowBuilder Version(string version)
    {
        _version = version;
        return this;
    }

    /// <summary>Sets the title.</summary>
    public WorkflowBuilder Title(string title)
    {
        _title = title;
        return this;
    }

    /// <summary>Sets the default retry policy of steps.</summary>
    public WorkflowBuilder Retry(RetryPolicy retry)
    {
        _retry = retry;
        return this;
    }

    /// <summary>Declares an input.</summary>
    public WorkflowBuilder Input(InputDefinition input)
    {
        _inputs.Add(input);
        return this;
    }

    /// <summary>Declares an optional string input.</summary>
    public WorkflowBuilder Input(string name) => Input(new InputDefinition { Name = name });

    /// <summary>Adds a step.</summary>
    /// <param name="id">The step id.</param>
    /// <param name="uses">The activity name.</param>
    /// <param name="with">The input: a <see cref="JsonObject"/> or any object serialized to one (anonymous objects work).</param>
    /// <param name="configure">Sets the rest, for example <c>s => s with { When = "inputs.x == 1" }</c>.</param>
    public WorkflowBuilder Step(string id, string uses, object? with = null, Func<StepDefinition, StepDefinition>? configure = null)
    {
        var step = new StepDefinition { Id = id, Uses = uses, With = ToObject(with) };
        _steps.Add(configure is null ? step : configure(step));
        return this;
    }

    /// <summary>Builds the definition.</summary>
    /// <exception cref="WorkflowValidationException">It has structural mistakes (for example two steps with one id).</exception>
    public WorkflowDefinition Build() =>
        WorkflowLoader.FromJson(WorkflowWriter.ToJson(new WorkflowDefinition
        {
            Id = _id,
            Version = _version,
            Title = _title,
            Inputs = [.. _inputs],
            Steps = [.. _steps],
            Retry = _retry,
        }));

    private static JsonObject ToObject(object? with) => with switch
    {
        null => [],
        JsonObject o => (JsonObject)o.DeepClone(),
        _ => JsonSerializer.SerializeToNode(with, MdiFlowJson.Options) as JsonObject
            ?? throw new ArgumentException("A step's input must serialize to a JSON object.", nameof(with)),
    };
}
