using System.Diagnostics;
using MdiFlow.Cli.Tests.Support;

namespace MdiFlow.Cli.Tests.Trust;

/// <summary>Text built to crash or hang the tool gets a clean error (exit 2) that says what and where, and nothing is stored.</summary>
[Collection(CliCollection.Name)]
public sealed class HostileInputTests(PublishedCli cli) : IDisposable
{
    private readonly Workspace _ws = new();

    private CliResult Mdiflow(params string[] args) => cli.Mdiflow(_ws.Root, [.. args, "--store", _ws.Store]);

    private string WithWhen(string when) => _ws.Write("w.json", $$"""
        { "id": "w", "steps": [ { "id": "s", "uses": "delay", "when": "{{when}}", "with": { "duration": "PT0S" } } ] }
        """);

    [Theory]
    [InlineData("(")]
    [InlineData("[")]
    [InlineData("!")]
    [InlineData("true && ")]
    public void A_condition_nested_or_chained_100000_deep_is_refused_by_validate_and_run(string unit)
    {
        var workflow = WithWhen(string.Concat(Enumerable.Repeat(unit, 100_000)) + "true");

        foreach (var result in new[] { Mdiflow("validate", workflow), Mdiflow("run", workflow) })
        {
            result.ExitCode.Should().Be(2, result.ToString());
            result.Stderr.Should().Contain("$.steps[0].when").And.Contain("the condition does not parse");
        }

        File.Exists(_ws.StorePath).Should().BeFalse("nothing was started");
    }

    [Fact]
    public void A_binding_nested_50000_deep_and_one_nested_a_little_too_deep_are_refused()
    {
        var deep = _ws.Write("b.json", $$$"""
            { "id": "b", "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "{{ {{{new string('(', 50_000)}}}x }}" } } ] }
            """);
        var tooDeep = _ws.Write("c.json", $$$"""
            { "id": "c", "inputs": { "x": { "type": "string" } }, "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "{{ {{{new string('(', 40)}}}inputs.x{{{new string(')', 40)}}} }}" } } ] }
            """);

        Mdiflow("run", deep).ExitCode.Should().Be(2);
        var validate = Mdiflow("validate", tooDeep);
        validate.ExitCode.Should().Be(2);
        validate.Stderr.Should().Contain("nests deeper than 32 levels");
    }

    [Fact]
    public void Repeated_properties_in_a_workflow_inputs_or_a_policy_are_errors_with_their_place()
    {
        var workflow = _ws.Write("dup.json", """{ "id": "a", "id": "b", "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "PT0S" } } ] }""");
        var good = _ws.Write("good.json", """{ "id": "good", "inputs": { "x": { "type": "string" } }, "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "PT0S" } } ] }""");
        var inputs = _ws.Write("inputs.json", """{ "x": "1", "x": "2" }""");
        var policy = _ws.Write("policy.json", """{ "gates": { "minApprovals": 2, "minApprovals": 3 } }""");

        var dupWorkflow = Mdiflow("validate", workflow);
        var dupInputs = Mdiflow("run", good, "--inputs", inputs);
        var dupPolicy = Mdiflow("run", good, "--policy", policy);

        dupWorkflow.ExitCode.Should().Be(2, dupWorkflow.ToString());
        dupWorkflow.Stderr.Should().Contain("Duplicate property 'id'");
        dupInputs.ExitCode.Should().Be(2, dupInputs.ToString());
        dupInputs.Stderr.Should().Contain("is not valid JSON").And.Contain("Duplicate");
        dupPolicy.ExitCode.Should().Be(2, dupPolicy.ToString());
        dupPolicy.Stderr.Should().Contain("is not valid").And.Contain("minApprovals");
    }

    [Fact]
    public void A_device_a_fifo_and_invalid_utf8_are_refused_at_once()
    {
        var fifo = _ws.PathOf("pipe.json");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!)
        {
            mkfifo.WaitForExit();
        }

        var utf8 = _ws.PathOf("latin1.json");
        File.WriteAllBytes(utf8, [.. "{ \"id\": \"caf"u8.ToArray(), 0xE9, .. "\", \"steps\": [] }"u8.ToArray()]);

        var device = Mdiflow("validate", "/dev/zero");
        var pipe = Mdiflow("validate", fifo);
        var inputs = Mdiflow("run", _ws.Write("w.json", """{ "id": "w", "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "PT0S" } } ] }"""), "--inputs", "/dev/zero");
        var latin1 = Mdiflow("validate", utf8);

        device.ExitCode.Should().Be(2);
        device.Stderr.Should().Contain("'/dev/zero' is not a regular file");
        pipe.ExitCode.Should().Be(2);
        pipe.Stderr.Should().Contain("is not a regular file");
        inputs.ExitCode.Should().Be(2);
        inputs.Stderr.Should().Contain("--inputs: '/dev/zero' is not a regular file");
        latin1.ExitCode.Should().Be(2);
        latin1.Stderr.Should().Contain("is not valid UTF-8: the byte at offset 12 (0xE9)");
    }

    [Fact]
    public void A_secret_given_twice_is_a_usage_error_that_does_not_echo_either_value()
    {
        var workflow = _ws.Write("s.json", """{ "id": "s", "inputs": { "k": { "secret": true } }, "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "PT0S" } } ] }""");

        var run = Mdiflow("run", workflow, "--secret", "k=env:ONE_SECRET_REF", "--secret", "k=env:OTHER_SECRET_REF");

        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("--secret k is given twice").And.NotContain("ONE_SECRET_REF");
    }

    [Fact]
    public void Audit_shows_journal_data_that_is_not_json_instead_of_failing()
    {
        var workflow = _ws.Write("one.json", """{ "id": "one", "steps": [ { "id": "s", "uses": "delay", "with": { "duration": "PT0S" } } ] }""");
        var id = Workspace.Json(Mdiflow("run", workflow, "--json"))["instanceId"]!.GetValue<string>();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_ws.StorePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"DROP TRIGGER journal_no_update; UPDATE journal SET data = 'not json {{' WHERE instance_id = '{id}' AND seq = 1";
            command.ExecuteNonQuery();
        }

        var audit = Mdiflow("audit", id, "--json");

        audit.ExitCode.Should().Be(0, audit.ToString());
        Workspace.Json(audit)["entries"]![0]!["data"]!.GetValue<string>().Should().Be("not json {");
        Workspace.Json(audit)["verified"]!.GetValue<bool>().Should().BeFalse();
    }

    public void Dispose() => _ws.Dispose();
}
