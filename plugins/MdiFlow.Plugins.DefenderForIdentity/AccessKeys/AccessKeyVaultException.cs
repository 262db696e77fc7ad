namespace MdiFlow.Plugins.DefenderForIdentity.AccessKeys;

/// <summary>A vault entry cannot be written or read. The message names the entry and the folder, never the secret.</summary>
internal sealed class AccessKeyVaultException : Exception
{
    public AccessKeyVaultException()
    {
    }

    public AccessKeyVaultException(string message)
        : base(message)
    {
    }

    public AccessKeyVaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
