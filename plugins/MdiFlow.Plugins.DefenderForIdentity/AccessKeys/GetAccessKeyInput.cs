namespace MdiFlow.Plugins.DefenderForIdentity.AccessKeys;

/// <summary>The input of <c>mdi.getAccessKey</c>.</summary>
public sealed record GetAccessKeyInput
{
    /// <summary>
    /// The vault entry to keep the key in (letters, digits, '.', '_', '-'); <c>mdi-access-key-{instance id}</c> when absent.
    /// Fetching again replaces the entry.
    /// </summary>
    public string? Name { get; init; }
}
