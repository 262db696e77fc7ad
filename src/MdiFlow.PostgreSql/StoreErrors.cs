using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using MdiFlow.Storage;

namespace MdiFlow.PostgreSql;

/// <summary>
/// Every message the store gives when it cannot be used: what is wrong, where (host, port, database, user, never a
/// password), and what to do.
/// </summary>
internal static class StoreErrors
{
    private const string SetUp = "docs/postgresql.md shows the set-up";

    public static StoreException NotAStore(StoreSettings store, IReadOnlyList<string> tables) =>
        new($"The {store.Address.Description} is not an MdiFlow store: it holds tables of another application ({string.Join(", ", tables)}{(tables.Count >= 5 ? ", ..." : "")}). It was left untouched. Point --store at a new, empty database (CREATE DATABASE mdiflow OWNER {QuoteName(store.Roles.Owner)};) or at an MdiFlow store.");

    public static StoreException ForeignSchema(StoreSettings store) =>
        new($"The {store.Address.Description} is not an MdiFlow store: its schema 'mdiflow' holds objects that MdiFlow did not create. It was left untouched. Point --store at a new, empty database, or at an MdiFlow store.");

    public static StoreException Newer(StoreSettings store, long schema, int supported) =>
        new($"The {store.Address.Description} holds an MdiFlow store written by a newer MdiFlow (schema {schema}; this version reads up to {supported}). Upgrade mdiflow, or point --store at another store. The database was left untouched.");

    public static StoreException Damaged(StoreSettings store, string detail, Exception? inner = null)
    {
        var message = $"The MdiFlow store in the {store.Address.Description} is damaged ({detail}). Restore the database from a backup, or point --store at another store.";
        return inner is null ? new StoreException(message) : new StoreException(message, inner);
    }

    public static StoreException MayNotCreate(StoreSettings store, string reason) =>
        new($"The {store.Address.Description} has no MdiFlow store yet, and this account may not create one: {reason}. Run mdiflow once with the connection string of an account that may (a member of the owner role, or an administrator), or have an administrator set the database up; {SetUp}.");

    public static StoreException MayNotMigrate(StoreSettings store, long from, int to, string reason) =>
        new($"The {store.Address.Description} holds an MdiFlow store of schema {from}, which this version moves to schema {to}, and this account may not change it: {reason}. Run mdiflow once with the connection string of a member of the owner role; {SetUp}. Nothing was changed.");

    public static StoreException Missing(StoreSettings store) =>
        new($"The {store.Address.Description} holds no MdiFlow store yet. Check --store (or MDIFLOW_STORE); a store is created by the first command that writes to it, with an account that may create it ({SetUp}).");

    public static StoreException Older(StoreSettings store, long schema, int current) =>
        new($"The {store.Address.Description} holds an MdiFlow store of schema {schema}, older than this version's {current}, and it was opened for reading only. Run a command that changes an instance (resume, worker) once with the connection string of a member of the owner role, which upgrades it, then read it again.");

    public static StoreException ReadOnly(StoreSettings store) =>
        new($"The MdiFlow store in the {store.Address.Description} was opened for reading only; this command cannot change it.");

    public static StoreException OtherKey(StoreSettings store, Journal.JournalKey key, string recorded) =>
        new($"The journal key '{key.Source}' ({key.Id}) is not the key of the MdiFlow store in the {store.Address.Description}, whose key is {recorded}: every host that shares one database must use the same key file. Copy the store's key from a host that has it to '{key.Source}' (replacing this one, if it was created just now), or point PostgreSqlStoreOptions.KeyFile at it. Nothing was written.");

    public static StoreException OldServer(StoreSettings store, int version) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The PostgreSQL server of the {store.Address.Description} is version {version / 10000}; MdiFlow needs PostgreSQL 13 or later. Upgrade the server, or point --store at another one."));

    public static StoreException NotUtf8(StoreSettings store, string encoding) =>
        new($"The {store.Address.Description} uses the encoding {encoding}; an MdiFlow store needs UTF8, so that every name and note is kept exactly. Create the database with ENCODING 'UTF8' (CREATE DATABASE mdiflow ENCODING 'UTF8' TEMPLATE template0;) and point --store at it.");

    public static StoreException NoFsync(StoreSettings store) =>
        new($"The PostgreSQL server of the {store.Address.Description} runs with fsync=off, so a committed transition could be lost in a crash or power cut. Turn fsync on (ALTER SYSTEM SET fsync = on; then reload the server) before keeping MdiFlow instances there.");

    public static StoreException CommitUnknown(StoreSettings store, Exception inner) =>
        inner is TimeoutException || inner.InnerException is TimeoutException
            ? new(string.Create(CultureInfo.InvariantCulture, $"The PostgreSQL server of the {store.Address.Description} did not answer within {store.CommandTimeout.TotalSeconds:0.#} s while a save was being committed, so it is not known whether the save was stored. Check the server's load and locks (pg_stat_activity), and read the instance again (mdiflow show ID) before acting on it."), inner)
            : new($"The connection to the PostgreSQL server of the {store.Address.Description} was lost while a save was being committed, so it is not known whether the save was stored ({Describe(inner)}). Read the instance again (mdiflow show ID) before acting on it.", inner);

    /// <summary>Turns an error of Npgsql or the server into a <see cref="StoreException"/> that says where and what to do.</summary>
    public static StoreException Translate(Exception ex, StoreSettings store) => ex switch
    {
        StoreException known => known,
        PostgresException p => Translate(p, store),
        NpgsqlException { InnerException: SocketException socket } => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => new StoreException(
                $"The PostgreSQL server for the {store.Address.Description} refused the connection. Check that it runs and listens on that host and port (listen_addresses, port, a firewall between), then try again.", ex),
            SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => new StoreException(
                $"The host '{store.Address.Host}' of the PostgreSQL server for the {store.Address.Description} is not known. Check Host= in the connection string and the name service, then try again.", ex),
            SocketError.TimedOut => TimedOut(store, ex),
            _ => new StoreException($"The PostgreSQL server for the {store.Address.Description} cannot be reached ({socket.SocketErrorCode}). Check the server and the network, then try again.", ex),
        },
        NpgsqlException { InnerException: TimeoutException } or TimeoutException => TimedOut(store, ex),
        NpgsqlException n when n.Message.Contains("password", StringComparison.OrdinalIgnoreCase) => SignInRefused(store, n.Message, ex),
        NpgsqlException or IOException => new StoreException(
            $"The connection to the PostgreSQL server for the {store.Address.Description} failed ({Describe(ex)}). Check the server, the network and the connection string, then try again.", ex),
        _ => new StoreException($"The PostgreSQL store in the {store.Address.Description} failed: {ex.Message}", ex),
    };

    private static StoreException Translate(PostgresException p, StoreSettings store) => p.SqlState switch
    {
        PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification => SignInRefused(store, p.MessageText, p),
        PostgresErrorCodes.InvalidCatalogName => new StoreException(
            $"The database '{store.Address.Database}' does not exist on the PostgreSQL server {store.Address.Host}:{store.Address.Port}. Create it (CREATE DATABASE {QuoteName(store.Address.Database)} OWNER {QuoteName(store.Roles.Owner)};) or correct Database= in the connection string; {SetUp}.", p),
        PostgresErrorCodes.InsufficientPrivilege => new StoreException(
            $"The PostgreSQL server refused an operation of the MdiFlow store in the {store.Address.Description} ({p.MessageText}). Grant '{store.Address.Username}' the store's application role '{store.Roles.Application}' (GRANT {QuoteName(store.Roles.Application)} TO {QuoteName(store.Address.Username)};); {SetUp}.", p),
        PostgresErrorCodes.TooManyConnections => new StoreException(
            $"The PostgreSQL server for the {store.Address.Description} has no connection left ({p.MessageText}). Close idle clients or raise max_connections, then try again.", p),
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow => new StoreException(
            $"The PostgreSQL server for the {store.Address.Description} is shutting down or starting up ({p.MessageText}). Try again once it is up.", p),
        PostgresErrorCodes.QueryCanceled => new StoreException(
            $"A statement of the MdiFlow store in the {store.Address.Description} did not finish in time ({p.MessageText}). Check the server's load and locks (pg_stat_activity), then try again.", p),
        PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure => new StoreException(
            $"A save to the {store.Address.Description} collided with another writer and was undone ({p.MessageText}). Try again.", p),
        _ => new StoreException($"The PostgreSQL store in the {store.Address.Description} refused the operation: {p.SqlState}: {p.MessageText}.", p),
    };

    private static StoreException SignInRefused(StoreSettings store, string reason, Exception ex) =>
        new($"The PostgreSQL server {store.Address.Host}:{store.Address.Port} refused the sign-in of '{store.Address.Username}' to the database '{store.Address.Database}' ({reason}). Check Username= and the password (Password= in the connection string, PGPASSWORD or a pgpass file), and that pg_hba.conf lets this account in from this host.", ex);

    private static StoreException TimedOut(StoreSettings store, Exception ex) =>
        new($"The PostgreSQL server for the {store.Address.Description} did not answer in time. Check that the host and port are right and that the server is up, then try again.", ex);

    private static string Describe(Exception ex) => ex is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : ex.InnerException is { } inner ? $"{ex.Message}: {inner.Message}" : ex.Message;

    private static string QuoteName(string name) =>
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') ? name : '"' + name.Replace("\"", "\"\"", StringComparison.Ordinal) + '"';
}
