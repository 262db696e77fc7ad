using MdiFlow.Definitions;
using MdiFlow.Engine;
using MdiFlow.Hosting;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests;

/// <summary>
/// The owner role of the database can lift the journal's triggers and rewrite any row; it cannot hold the journal key.
/// Whatever it rewrites, the engine over the PostgreSQL store refuses to act and its check names the instance.
/// </summary>
public sealed class RecordTamperingTests : DatabaseTest
{
    private static readonly Actor Operator = new("zoe", ActorSources.OperatingSystem);

    private ServiceProvider? _services;

    public override async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private WorkflowEngine Engine()
    {
        _services ??= new ServiceCollection()
            .AddMdiFlow(flow => flow.UsePostgreSql(o =>
            {
                o.ConnectionString = Database.ConnectionString;
                o.KeyFile = Database.KeyFile;
            }))
            .Services.BuildServiceProvider();
        return _services.GetRequiredService<WorkflowEngine>();
    }

    private async Task<InstanceId> StartAsync()
    {
        var definition = new WorkflowBuilder("portal").Step("portal", "manualTask", new { instructions = "Create the workspace." }).Build();
        var instance = await Engine().StartAsync(definition, new StartRequest { Actor = Operator });
        (await Engine().RunAsync(instance.Id, new RunRequest { Actor = Operator })).Instance.Status.Should().Be(InstanceStatus.Waiting);
        (await Engine().VerifyAsync(instance.Id)).Verified.Should().BeTrue("an untouched record verifies");
        return instance.Id;
    }

    private async Task AsOwnerAsync(string sql)
    {
        var owner = await Database.CreateLoginAsync("owner", "mdiflow_owner");
        await using var connection = await Database.OpenAsync(owner.ConnectionString);
        await using var command = new NpgsqlCommand($"SET ROLE mdiflow_owner; ALTER TABLE mdiflow.journal DISABLE TRIGGER USER; {sql}; ALTER TABLE mdiflow.journal ENABLE TRIGGER USER;", connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_journal_entry_rewritten_by_the_owner_role_breaks_the_chain_at_that_entry()
    {
        var id = await StartAsync();
        await AsOwnerAsync($"UPDATE mdiflow.journal SET actor = 'mallory' WHERE instance_id = '{id}' AND seq = 1");

        var verdict = await Engine().VerifyAsync(id);

        verdict.Verified.Should().BeFalse();
        verdict.Problems.Should().Contain(p => p.StartsWith("the journal is broken at entry 1: entry 1 (instance.created) does not match its MAC under the journal key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_journal_tail_removed_by_the_owner_role_makes_the_engine_refuse_the_instance()
    {
        var id = await StartAsync();
        var entries = (await Engine().VerifyAsync(id)).Entries;
        await AsOwnerAsync($"DELETE FROM mdiflow.journal WHERE instance_id = '{id}' AND seq = {entries}");

        var act = async () => await Engine().GetAsync(id);

        (await act.Should().ThrowAsync<IntegrityException>()).WithMessage($"Instance {id} disagrees with its journal: its journal ends at entry {entries - 1}, but it records {entries} entries*");
    }

    [Fact]
    public async Task A_gate_approved_in_the_document_by_the_owner_role_is_refused_before_anything_runs()
    {
        var id = await StartAsync();
        await AsOwnerAsync($"UPDATE mdiflow.instances SET status = 'completed', document = jsonb_set(document::jsonb, '{{status}}', '\"completed\"')::json WHERE id = '{id}'");

        var act = async () => await Engine().RunAsync(id, new RunRequest { Actor = Operator });

        (await act.Should().ThrowAsync<IntegrityException>()).WithMessage($"Instance {id} in the database '{Database.Name}' on * does not match its seal under the journal key k1-*");
        (await Engine().VerifyAsync(id)).Problems.Should().Contain(p => p.Contains("does not match its seal", StringComparison.Ordinal));
    }
}
