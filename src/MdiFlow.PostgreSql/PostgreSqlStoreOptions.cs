using System.Text.RegularExpressions;

namespace MdiFlow.PostgreSql;

/// <summary>Where the PostgreSQL store lives and which roles own and use it.</summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, for example <c>Host=db01;Database=mdiflow;Username=dc01_worker</c>. The password may
    /// come from it, from <c>PGPASSWORD</c> or from a pgpass file; it never appears in a message of the store.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The role that owns the store's schema and tables (<c>mdiflow_owner</c> by default). Migrations run as this role;
    /// the account that migrates must be a member of it (or a superuser, which creates it when it is missing).
    /// </summary>
    public string OwnerRole { get; set; } = "mdiflow_owner";

    /// <summary>
    /// The role applications use (<c>mdiflow_app</c> by default): it may read and write instances, and only insert
    /// into and read the journal. Grant it to each worker's login.
    /// </summary>
    public string ApplicationRole { get; set; } = "mdiflow_app";

    /// <summary>How long one statement may run before it fails with a <see cref="Storage.StoreException"/>. Thirty seconds by default.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The journal key file: it keys every journal and seals every stored document, so every host that shares the
    /// database must use the same key, and it must stay out of the reach of whoever may only write the database.
    /// Default: the host's key, <see cref="Journal.JournalKeyProvider.SystemPath"/> (<c>/etc/mdiflow/journal.key</c>),
    /// which an administrator installs on every host. The key is never kept in the database (only its fingerprint,
    /// which the store compares with its own key at every write) and never derived from the connection string.
    /// </summary>
    /// <remarks>
    /// When the file does not exist, the first write creates it (owner-only); copy that file to every other host. A
    /// host with another key is refused before it writes anything.
    /// </remarks>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Open the store for reading only (an auditor's <c>list</c>, <c>show</c>, <c>audit</c>): nothing is created or
    /// migrated, the server runs every transaction read-only, and every write is refused.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">The connection string is missing or malformed, a role name is not a plain name, the timeout is out of range, or the key file is empty.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException(
                "The PostgreSQL store needs a connection string: set PostgreSqlStoreOptions.ConnectionString (for example Host=db01;Database=mdiflow;Username=mdiflow_app).",
                nameof(ConnectionString));
        }

        // Parses it, with a message that never repeats a value.
        _ = ServerAddress.Parse(ConnectionString);
        CheckRole(OwnerRole, nameof(OwnerRole));
        CheckRole(ApplicationRole, nameof(ApplicationRole));
        if (string.Equals(OwnerRole, ApplicationRole, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"PostgreSqlStoreOptions.OwnerRole and ApplicationRole are both '{OwnerRole}': the application role must be another role, one that cannot change the journal.",
                nameof(ApplicationRole));
        }

        if (CommandTimeout < TimeSpan.FromSeconds(1) || CommandTimeout > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"PostgreSqlStoreOptions.CommandTimeout must be between 1 s and 1 h; it is {CommandTimeout}.", nameof(CommandTimeout));
        }

        if (KeyFile is not null && string.IsNullOrWhiteSpace(KeyFile))
        {
            throw new ArgumentException("PostgreSqlStoreOptions.KeyFile is empty: give the path of the journal key file every host of the store shares, or leave it unset for the host's key (/etc/mdiflow/journal.key).", nameof(KeyFile));
        }
    }

    private static void CheckRole(string role, string property)
    {
        if (role is null || !RoleName().IsMatch(role))
        {
            throw new ArgumentException(
                $"PostgreSqlStoreOptions.{property} '{role}' is not a plain role name: use 1 to 63 lowercase letters, digits and underscores, starting with a letter or underscore.",
                property);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleName();
}
