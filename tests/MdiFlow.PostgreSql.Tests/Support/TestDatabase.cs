using System.Globalization;
using Npgsql;

namespace MdiFlow.PostgreSql.Tests.Support;

/// <summary>
/// A database of its own for one test class instance (xunit makes one per fact), created empty and dropped after (unless
/// the server is a throwaway one): tests stay independent and may run in parallel. Logins it creates are dropped with it.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private static int _count;
    private readonly List<string> _logins = [];
    private readonly MdiFlow.Testing.TempDirectory _keys = new();

    private TestDatabase(string name) => Name = name;

    public string Name { get; }

    /// <summary>The journal key file every store of this database shares (as every host of one store does); created by the first write.</summary>
    public string KeyFile => _keys.Combine("journal.key");

    /// <summary>Store options for this database (as its superuser unless <paramref name="connectionString"/> says otherwise), with its shared key.</summary>
    public PostgreSqlStoreOptions Options(string? connectionString = null) => new() { ConnectionString = connectionString ?? ConnectionString, KeyFile = KeyFile };

    public static PostgresServer Server => PostgresServer.Instance;

    /// <summary>The superuser's connection string to this database, pooled (as a store would use it).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server.AdminConnectionString(Name)) { Pooling = true }.ConnectionString;

    /// <summary>Creates an empty database named after <paramref name="label"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(string label)
    {
        var number = Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture);
        var name = $"t_{label.ToLowerInvariant()}_{Environment.ProcessId}_{number}_{Guid.NewGuid():n}"[..Math.Min(63, 40 + label.Length)];
        await Server.ExecuteAsync($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0");
        return new TestDatabase(name);
    }

    /// <summary>A new login (with a password) that is a member of <paramref name="roles"/>, for this database only; dropped with it.</summary>
    public async Task<(string Username, string Password, string ConnectionString)> CreateLoginAsync(string label, params string[] roles)
    {
        var username = $"t_{label}_{Guid.NewGuid():n}"[..Math.Min(63, 20 + label.Length)];
        var password = "pw-" + Guid.NewGuid().ToString("n");
        await Server.ExecuteAsync($"CREATE ROLE \"{username}\" LOGIN PASSWORD '{password}'{(roles.Length > 0 ? " IN ROLE " + string.Join(", ", roles.Select(r => $"\"{r}\"")) : "")}");
        _logins.Add(username);
        return (username, password, Server.ConnectionString(Name, username, password));
    }

    /// <summary>Drops <paramref name="role"/> (which owns objects in this database only) once the database is dropped.</summary>
    public void DropAfterwards(string role) => _logins.Add(role);

    /// <summary>Runs statements as the superuser in this database.</summary>
    public Task ExecuteAsync(string sql) => Server.ExecuteAsync(sql, Name);

    /// <summary>Reads one value as the superuser in this database.</summary>
    public Task<T> ScalarAsync<T>(string sql) => Server.ScalarAsync<T>(sql, Name);

    /// <summary>Opens a connection of its own (not pooled) as the superuser, or with <paramref name="connectionString"/>.</summary>
    public async Task<NpgsqlConnection> OpenAsync(string? connectionString = null)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString ?? ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        _keys.Dispose();
        if (Server.IsThrowaway)
        {
            return;
        }

        await Server.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        foreach (var login in _logins)
        {
            await Server.ExecuteAsync($"DROP ROLE IF EXISTS \"{login}\"");
        }
    }
}
