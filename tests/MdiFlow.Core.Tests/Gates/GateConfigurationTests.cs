using System.Text.Json.Nodes;
using MdiFlow.Core.Tests.Support;
using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Policy;

namespace MdiFlow.Core.Tests.Gates;

/// <summary>A gate that could never open is refused before its instance starts, so it cannot become a way around itself.</summary>
public sealed class GateConfigurationTests : IAsyncDisposable
{
    private readonly EngineFixture _f = new(b => b.UsePolicy(OrganisationPolicy.Parse("""{ "groups": { "cab": ["alice", "bob"] }, "gates": { "minApprovals": 2 } }""", "test")));

    private WorkflowDefinition Gate(string with) => _f.Parse($$$"""
        { "id": "w", "inputs": { "who": { "type": "array", "default": ["group:cab"] } }, "steps": [ { "id": "board", "uses": "approval", "with": { {{{with}}} } } ] }
        """);

    [Theory]
    [InlineData("\"approvers\": [\"user:alice\"]", "resolve to no one who may approve")]
    [InlineData("\"approvers\": [\"group:cab\"]", "needs 2 distinct approvals but only 1 people may approve (bob)")]
    [InlineData("\"approvers\": [\"cab\"]", "approvers entry 'cab' must be 'user:NAME' or 'group:NAME'")]
    [InlineData("\"approvers\": \"{{ inputs.who }}\", \"expiresAfter\": \"soon\"", "expiresAfter 'soon' is not a positive duration")]
    public async Task A_gate_that_could_never_open_fails_before_the_instance_exists(string with, string problem)
    {
        var act = () => _f.Engine.StartAsync(Gate(with), new StartRequest { Actor = EngineFixture.Alice });

        (await act.Should().ThrowAsync<WorkflowValidationException>()).Which.Errors.Should().ContainSingle(e => e.Message.Contains(problem, StringComparison.Ordinal));
        (await _f.Store.ListAsync(new MdiFlow.Storage.InstanceQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task Inputs_that_name_enough_approvers_start_and_a_group_of_the_identity_provider_is_left_to_sign_in()
    {
        (await _f.Engine.StartAsync(Gate("\"approvers\": [\"group:cab\", \"user:carol\"]"), new StartRequest { Actor = EngineFixture.Alice })).Should().NotBeNull();
        (await _f.Engine.StartAsync(Gate("\"approvers\": [\"group:8f1e2d3c-entra-group\"]"), new StartRequest { Actor = EngineFixture.Alice })).Should().NotBeNull();
        var narrowed = new JsonObject { ["who"] = new JsonArray("user:alice") };
        var act = () => _f.Engine.StartAsync(Gate("\"approvers\": \"{{ inputs.who }}\""), new StartRequest { Actor = EngineFixture.Alice, Inputs = narrowed });
        await act.Should().ThrowAsync<WorkflowValidationException>();
    }

    public ValueTask DisposeAsync() => _f.DisposeAsync();
}
