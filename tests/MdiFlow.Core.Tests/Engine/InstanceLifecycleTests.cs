using MdiFlow.Engine;
using MdiFlow.Instances;

namespace MdiFlow.Core.Tests.Engine;

public sealed class InstanceLifecycleTests
{
    [Theory]
    [InlineData(InstanceStatus.Completed, "Cancel", "is completed; it cannot be cancelled. Completed is final: nothing more can happen to it.")]
    [InlineData(InstanceStatus.Waiting, "Start", "is waiting; it cannot run. Allowed now: be approved, be rejected, be cancelled.")]
    [InlineData(InstanceStatus.Failed, "Approve", "is failed; it cannot be approved. Allowed now: be cancelled, be resumed, skip a step.")]
    public void An_illegal_transition_says_the_state_and_what_is_allowed(InstanceStatus status, string trigger, string message)
    {
        var instance = new WorkflowInstance { Id = new InstanceId("01jlife0000000000000000000"), WorkflowId = "w", WorkflowVersion = "1", DefinitionHash = "", Definition = [], Status = status };

        var fire = () => new InstanceLifecycle(instance).Fire(Enum.Parse<LifecycleTrigger>(trigger));

        fire.Should().Throw<InstanceStateException>().WithMessage($"Instance 01jlife0000000000000000000 {message}");
        instance.Status.Should().Be(status);
    }

    [Fact]
    public void The_lifecycle_diagram_in_the_docs_is_generated_from_the_machine()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MdiFlow.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("MdiFlow.sln not found above the test binaries.");
        }

        var path = Path.Combine(root, "docs", "lifecycle.md");
        var expected = $"""
            # Instance lifecycle

            Generated from `InstanceLifecycle` (Stateless) by `InstanceLifecycleTests`; do not edit by hand.

            ```mermaid
            {InstanceLifecycle.ToMermaid().Trim()}
            ```
            """.ReplaceLineEndings("\n") + "\n";
        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual != expected && Environment.GetEnvironmentVariable("CI") != "true")
        {
            File.WriteAllText(path, expected);
        }

        actual.Should().Be(expected, "docs/lifecycle.md must match the state machine; it has been regenerated, commit it");
    }
}
