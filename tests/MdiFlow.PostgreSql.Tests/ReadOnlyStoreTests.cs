using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests;

/// <summary>A store opened for reading only (an auditor's list, show, audit): it creates, migrates and writes nothing.</summary>
public sealed class ReadOnlyStoreTests : DatabaseTest
{
    private readonly TempDirectory _auditor = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _auditor.Dispose();
    }

    [Fact]
    public async Task A_reading_store_reads_every_instance_and_refuses_every_write()
    {
        var (created, written) = await CreateAsync(Open());
        var reader = Open(configure: o => o.ReadOnly = true);

        (await reader.FindAsync(created.Id))!.Id.Should().Be(created.Id);
        (await reader.ReadJournalAsync(created.Id)).Should().Equal(written);
        var save = async () => await reader.SaveAsync((await reader.FindAsync(created.Id))!, []);
        var create = async () => await CreateAsync(reader);

        (await save.Should().ThrowAsync<StoreException>()).WithMessage($"The MdiFlow store in the database '{Database.Name}' on * was opened for reading only; this command cannot change it.");
        await create.Should().ThrowAsync<StoreException>();
        (await Database.ScalarAsync<long>("SELECT version FROM mdiflow.instances")).Should().Be(1);
    }

    [Fact]
    public async Task The_server_runs_a_reading_stores_transactions_read_only()
    {
        await CreateAsync(Open());
        var reader = Open(configure: o => o.ReadOnly = true);
        await reader.OpenAsync();

        (await reader.ReadWriterSettingAsync("default_transaction_read_only")).Should().Be("on");
    }

    [Fact]
    public async Task A_database_without_a_store_is_not_created_by_a_reader()
    {
        var reader = Open(configure: o =>
        {
            o.ReadOnly = true;
            o.KeyFile = _auditor.Combine("journal.key");
        });

        var list = async () => await reader.ListAsync(new InstanceQuery());

        (await list.Should().ThrowAsync<StoreException>()).WithMessage($"The database '{Database.Name}' on * holds no MdiFlow store yet. Check --store (or MDIFLOW_STORE); a store is created by the first command that writes to it*");
        (await Database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'mdiflow'")).Should().Be(0);
        File.Exists(_auditor.Combine("journal.key")).Should().BeFalse();
    }

    [Fact]
    public async Task An_auditor_without_the_key_reads_unchecked_and_creates_no_key()
    {
        var (created, _) = await CreateAsync(Open());
        var auditorKey = _auditor.Combine("journal.key");
        var reader = Open(configure: o =>
        {
            o.ReadOnly = true;
            o.KeyFile = auditorKey;
        });

        (await reader.FindAsync(created.Id))!.Id.Should().Be(created.Id);
        reader.Keys.TryGet(out var why).Should().BeNull();
        why.Should().Contain("does not exist");
        File.Exists(auditorKey).Should().BeFalse();
    }
}
