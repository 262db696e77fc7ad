using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Testing.Storage;
using Microsoft.Extensions.Time.Testing;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>A test with an empty database of its own, and the stores it opens, disposed after each fact.</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    private readonly List<PostgreSqlWorkflowStore> _stores = [];
    private TestDatabase? _database;

    /// <summary>The clock of every instance and entry the facts create.</summary>
    protected FakeTimeProvider Time { get; } = new(TestInstances.Start);

    internal TestDatabase Database => _database ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    public virtual async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(GetType().Name.Replace("Tests", "", StringComparison.Ordinal));

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>A store on the test database (as its superuser unless <paramref name="connectionString"/> says otherwise), disposed after the fact.</summary>
    internal PostgreSqlWorkflowStore Open(string? connectionString = null, Action<PostgreSqlStoreOptions>? configure = null)
    {
        var options = Database.Options(connectionString);
        configure?.Invoke(options);
        var store = new PostgreSqlWorkflowStore(options);
        _stores.Add(store);
        return store;
    }

    /// <summary>Stores a new instance with its creation entry, as the engine does.</summary>
    internal async Task<(WorkflowInstance Instance, List<JournalEntry> Written)> CreateAsync(PostgreSqlWorkflowStore store, InstanceStatus status = InstanceStatus.Pending, InstanceId? id = null)
    {
        var instance = TestInstances.New(Time, status, id);
        var entries = new List<JournalEntry> { TestInstances.Append(instance, Time, JournalKinds.InstanceCreated) };
        await store.CreateAsync(instance, entries);
        return (instance, entries);
    }
}
