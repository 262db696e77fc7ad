namespace MdiFlow.Plugins.DefenderForIdentity.ServiceAccounts;

/// <summary>The output of <c>mdi.checkServiceAccount</c>: the account and every check it passed.</summary>
public sealed record CheckServiceAccountOutput
{
    /// <summary>The account as the directory names it.</summary>
    public required string Account { get; init; }

    /// <summary><c>gMSA</c> or <c>user</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Each check, as Test-MDIDSA makes it.</summary>
    public required IReadOnlyList<FactCheck> Checks { get; init; }
}
