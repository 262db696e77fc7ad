using MdiFlow.PostgreSql.Tests.Support;
using MdiFlow.Storage;
using MdiFlow.Testing.Storage;

namespace MdiFlow.PostgreSql.Tests;

/// <summary>The shared store contract, on a real PostgreSQL server: each fact gets a new database, and the peer is a second store on it (as another host would open it).</summary>
public sealed class PostgreSqlWorkflowStoreContractTests : WorkflowStoreContract
{
    private TestDatabase _database = null!;

    public override async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("contract");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override ValueTask<IWorkflowStore> CreateStoreAsync() => new(new PostgreSqlWorkflowStore(_database.Options()));

    protected override ValueTask<IWorkflowStore> OpenPeerStoreAsync() => new(new PostgreSqlWorkflowStore(_database.Options()));
}
