using MdiFlow.Instances;
using MdiFlow.Sqlite.Schema;
using MdiFlow.Sqlite.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing;
using MdiFlow.Testing.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.Sqlite.Tests.Schema;

public sealed class StoreIdentityTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string StorePath => _directory.Combine("mdiflow.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_text_file_is_refused_untouched_with_a_message_that_says_what_to_do()
    {
        await File.WriteAllTextAsync(StorePath, "instance,status\n01jz,completed\n");

        await ShouldBeRefusedUntouched(
            $"'{StorePath}' is not an MdiFlow store: it is not a SQLite database. Point --store at an MdiFlow store file, or at a new path to create one.");
    }

    [Fact]
    public async Task A_file_of_random_bytes_is_refused_untouched()
    {
        var bytes = new byte[8192];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(StorePath, bytes);

        await ShouldBeRefusedUntouched($"'{StorePath}' is not an MdiFlow store: it is not a SQLite database.*");
    }

    [Fact]
    public async Task A_file_shorter_than_the_sqlite_header_is_refused_untouched()
    {
        await File.WriteAllBytesAsync(StorePath, "SQLite"u8.ToArray());

        await ShouldBeRefusedUntouched($"'{StorePath}' is not an MdiFlow store: it is not a SQLite database.*");
    }

    [Fact]
    public async Task A_file_with_a_sqlite_header_and_garbage_after_it_is_refused_untouched_as_damaged()
    {
        var bytes = new byte[8192];
        new Random(11).NextBytes(bytes);
        "SQLite format 3\0"u8.CopyTo(bytes);
        await File.WriteAllBytesAsync(StorePath, bytes);

        await ShouldBeRefusedUntouched($"The store '{StorePath}' is damaged (*). Restore it from a backup, or point --store at a new path to start a new store.");
    }

    [Fact]
    public async Task A_sqlite_database_of_another_application_is_refused_untouched()
    {
        StoreFiles.Execute(StorePath, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Contoso');");

        await ShouldBeRefusedUntouched(
            $"'{StorePath}' is not an MdiFlow store: it is a SQLite database of another application. It was left untouched. Point --store at an MdiFlow store file, or at a new path to create one.");
    }

    [Fact]
    public async Task An_empty_sqlite_database_marked_by_another_application_is_refused_untouched()
    {
        StoreFiles.Execute(StorePath, "PRAGMA application_id = 1234; PRAGMA user_version = 9;");

        await ShouldBeRefusedUntouched($"'{StorePath}' is not an MdiFlow store: it is a SQLite database of another application.*");
    }

    [Fact]
    public async Task A_store_written_by_a_newer_mdiflow_is_refused_untouched()
    {
        var time = new FakeTimeProvider(TestInstances.Start);
        var instance = TestInstances.New(time, InstanceStatus.Waiting);
        using (var store = new SqliteWorkflowStore(StorePath))
        {
            await store.CreateAsync(instance, [TestInstances.Append(instance, time, Journal.JournalKinds.InstanceCreated)]);
        }

        var newer = StoreSchema.CurrentVersion + 1;
        StoreFiles.Execute(StorePath, $"PRAGMA user_version = {newer};");
        var before = StoreFiles.Sha256(StorePath);

        using var newerStore = new SqliteWorkflowStore(StorePath);
        var act = async () => await newerStore.FindAsync(instance.Id);

        (await act.Should().ThrowAsync<StoreException>()).WithMessage(
            $"'{StorePath}' was written by a newer MdiFlow (schema {newer}; this version reads up to {StoreSchema.CurrentVersion}). Upgrade mdiflow, or point --store at another store. The file was left untouched.");
        StoreFiles.Sha256(StorePath).Should().Be(before);
        StoreFiles.Companions(StorePath).Should().BeEmpty();
        StoreFiles.Scalar<long>(StorePath, "PRAGMA user_version").Should().Be(newer);
    }

    [Fact]
    public async Task A_refused_file_stays_refused_on_every_operation()
    {
        await File.WriteAllTextAsync(StorePath, "not a store");
        using var store = new SqliteWorkflowStore(StorePath);

        await store.Invoking(async s => await s.ListAsync(new InstanceQuery())).Should().ThrowAsync<StoreException>();
        await store.Invoking(async s => await s.ReadJournalAsync(new InstanceId("01jz0000000000000000000000"))).Should().ThrowAsync<StoreException>();
        await store.Invoking(async s => await s.OpenAsync()).Should().ThrowAsync<StoreException>();
    }

    [Fact]
    public async Task A_store_in_a_folder_that_does_not_exist_cannot_be_opened()
    {
        var path = _directory.Combine("missing", "mdiflow.db");
        using var store = new SqliteWorkflowStore(path);

        var act = async () => await store.OpenAsync();

        (await act.Should().ThrowAsync<StoreException>()).WithMessage($"The store '{path}' cannot be opened (*). Check that its folder exists*");
        Directory.Exists(_directory.Combine("missing")).Should().BeFalse();
    }

    private async Task ShouldBeRefusedUntouched(string message)
    {
        var before = StoreFiles.Sha256(StorePath);
        using var store = new SqliteWorkflowStore(StorePath);

        var act = async () => await store.OpenAsync();

        (await act.Should().ThrowAsync<StoreException>()).WithMessage(message);
        StoreFiles.Sha256(StorePath).Should().Be(before);
        StoreFiles.Companions(StorePath).Should().BeEmpty();
    }
}
