namespace MdiFlow.Plugins.DefenderForIdentity.ServiceAccounts;

/// <summary>The input of <c>mdi.checkServiceAccount</c>.</summary>
public sealed record CheckServiceAccountInput
{
    /// <summary>The directory service account, for example <c>CONTOSO\mdiSvc01$</c> (a gMSA) or <c>CONTOSO\mdiSvc</c> (a user).</summary>
    public required string Account { get; init; }

    /// <summary>The kind it must be: <c>gMSA</c> or <c>user</c>. When absent, whatever the directory says it is.</summary>
    public string? Kind { get; init; }
}
