namespace MdiFlow.PostgreSql.Schema;

/// <summary>The owner and application roles of a store, as validated plain names.</summary>
/// <param name="Owner">Owns the schema and its objects; migrations run as it.</param>
/// <param name="Application">What applications use: no UPDATE, DELETE or TRUNCATE on the journal.</param>
internal sealed record StoreRoles(string Owner, string Application)
{
    /// <summary>The owner as a quoted SQL identifier.</summary>
    public string QuotedOwner => Quote(Owner);

    /// <summary>The application role as an SQL identifier.</summary>
    public string QuotedApplication => Quote(Application);

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
