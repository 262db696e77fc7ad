using MdiFlow.Journal;
using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Security;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;

namespace MdiFlow.PostgreSql.Tests;

/// <summary>
/// Every host of one database keys with one key, kept outside the database: the database records its fingerprint
/// only, and a host with another key (or one it just created) is refused before it writes anything.
/// </summary>
public sealed class StoreKeyTests : DatabaseTest
{
    private readonly TempDirectory _otherHost = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _otherHost.Dispose();
    }

    [Fact]
    public async Task The_database_records_the_keys_fingerprint_and_never_the_key()
    {
        var store = Open();
        await CreateAsync(store);
        var key = JournalKey.Load(Database.KeyFile);
        var secret = File.ReadAllText(Database.KeyFile).Trim().Split(' ')[1];

        (await Database.ScalarAsync<string>("SELECT journal_key FROM mdiflow.store_info")).Should().Be(key.Id);
        var everything = await Database.ScalarAsync<string>("""
            SELECT (SELECT string_agg(to_jsonb(s)::text, '') FROM mdiflow.store_info s)
                || (SELECT string_agg(to_jsonb(i)::text, '') FROM mdiflow.instances i)
                || (SELECT string_agg(to_jsonb(j)::text, '') FROM mdiflow.journal j)
            """);
        everything.Should().NotContain(secret);
    }

    [Fact]
    public async Task A_host_with_another_key_is_refused_and_writes_nothing()
    {
        var first = Open();
        var (created, _) = await CreateAsync(first);
        var otherKey = _otherHost.Combine("journal.key");
        JournalKey.LoadOrCreate(otherKey);
        var other = Open(configure: o => o.KeyFile = otherKey);

        var read = async () => await other.FindAsync(created.Id);
        var write = async () => await CreateAsync(other);

        var expected = $"The journal key '{otherKey}' ({JournalKey.Load(otherKey).Id}) is not the key of the MdiFlow store in the database '{Database.Name}' on *, whose key is {JournalKey.Load(Database.KeyFile).Id}: every host that shares one database must use the same key file. Copy the store's key from a host that has it to '{otherKey}' (replacing this one, if it was created just now), or point PostgreSqlStoreOptions.KeyFile at it. Nothing was written.";
        (await read.Should().ThrowAsync<StoreException>()).WithMessage(expected);
        (await write.Should().ThrowAsync<StoreException>()).WithMessage(expected);
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.instances")).Should().Be(1);
    }

    [Fact]
    public async Task A_host_without_the_key_that_writes_is_refused_although_its_first_write_made_a_key()
    {
        var first = Open();
        await CreateAsync(first);
        var missing = _otherHost.Combine("journal.key");
        var other = Open(configure: o => o.KeyFile = missing);
        (await other.ListAsync(new InstanceQuery())).Should().ContainSingle("a host without the key may still read, unchecked");

        var write = async () => await CreateAsync(other);

        (await write.Should().ThrowAsync<StoreException>()).WithMessage($"The journal key '{missing}' (k1-*) is not the key of the MdiFlow store *");
        (await Database.ScalarAsync<long>("SELECT count(*) FROM mdiflow.instances")).Should().Be(1);
    }

    [Fact]
    public async Task Two_hosts_with_the_same_key_file_read_and_write_each_others_instances()
    {
        var (created, written) = await CreateAsync(Open());
        var copied = _otherHost.Combine("journal.key");
        PrivateFile.WriteNew(copied, File.ReadAllText(Database.KeyFile));
        var other = Open(configure: o => o.KeyFile = copied);

        var found = (await other.FindAsync(created.Id))!;
        found.Inputs["checkedBy"] = "DC02";
        await other.SaveAsync(found, [TestInstances.Append(found, Time, MdiFlow.Journal.JournalKinds.InstanceResumed)]);

        (await Open().FindAsync(created.Id))!.Inputs["checkedBy"]!.GetValue<string>().Should().Be("DC02");
        (await Open().ReadJournalAsync(created.Id)).Should().HaveCount(written.Count + 1);
    }
}
