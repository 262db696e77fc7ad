using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.AccessKeys;

/// <summary>
/// <c>mdi.getAccessKey</c>: fetches the workspace's deployment access key from Microsoft Graph and keeps it in
/// this host's vault (ASP.NET Core Data Protection). The output is only the reference <c>vault:NAME</c>.
/// It runs on the target host because the vault is local to the host and account that wrote it.
/// </summary>
[Activity("mdi.getAccessKey", Description = "Fetches the sensor deployment access key from Microsoft Graph into this host's vault; outputs only a vault: reference.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class GetAccessKeyActivity(GraphClient graph, AccessKeyVault vault) : Activity<GetAccessKeyInput, GetAccessKeyOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(GetAccessKeyInput input, ActivityContext context)
    {
        var name = string.IsNullOrWhiteSpace(input.Name) ? $"mdi-access-key-{context.InstanceId.Value}" : input.Name;
        if (!AccessKeyVault.IsValidName(name))
        {
            return InvalidInput.Fail(context, $"'name' is \"{input.Name}\"; use letters, digits, '.', '_' and '-' (up to 100), starting with a letter or digit.");
        }

        var result = await graph.DeploymentAccessKeyAsync(context.CancellationToken).ConfigureAwait(false);
        if (!result.TryGetValue(out var key, out var error))
        {
            return ActivityResult.Fail(error);
        }

        // The engine masks it wherever it might surface (outputs, errors, logs).
        context.RegisterSecret(key.Key!);
        try
        {
            return Complete(new GetAccessKeyOutput { AccessKeyRef = vault.Store(name, key.Key!) });
        }
        catch (AccessKeyVaultException ex)
        {
            return ActivityResult.Fail(new ActivityError("vault.unavailable", ex.Message)
            {
                Fix = "Make DefenderForIdentityOptions.KeyVaultDirectory a folder this account can write (by default %LOCALAPPDATA%\\MdiFlow\\keys), then retry.",
            });
        }
    }
}
