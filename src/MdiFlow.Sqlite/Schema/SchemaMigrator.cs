using System.Data;
using MdiFlow.Journal;
using Microsoft.Data.Sqlite;

namespace MdiFlow.Sqlite.Schema;

/// <summary>Brings a store's schema up to <see cref="StoreSchema.CurrentVersion"/> in one transaction.</summary>
internal static class SchemaMigrator
{
    /// <summary>Runs the missing migrations, if any; an up-to-date store is not written at all.</summary>
    public static void Migrate(SqliteConnection connection, string path, JournalKeyProvider keys)
    {
        var facts = StoreIdentity.Read(connection, transaction: null);
        if (facts.IsMdiFlowStore && facts.UserVersion == StoreSchema.CurrentVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);

        // Judge again under the write lock: another process may have created or changed the store meanwhile.
        facts = StoreIdentity.Read(connection, transaction);
        StoreIdentity.Judge(facts, path);
        var applied = false;
        foreach (var migration in StoreSchema.Migrations.Where(m => m.Version > facts.SchemaVersion))
        {
            Execute(connection, transaction, migration.Sql);
            migration.Code?.Invoke(connection, transaction, keys.Get());
            applied = true;
        }

        if (!applied && facts.IsMdiFlowStore)
        {
            return;
        }

        Execute(connection, transaction, $"PRAGMA application_id = {StoreSchema.ApplicationId}; PRAGMA user_version = {StoreSchema.CurrentVersion};");
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
