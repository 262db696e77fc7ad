namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// This process does not run on a Windows server, so it has no facts of a server to deploy.
/// The activities turn it into the failure <c>host.unsupported</c>.
/// </summary>
public sealed class HostUnsupportedException : HostFactsException
{
    /// <summary>Creates the exception.</summary>
    public HostUnsupportedException()
        : base($"This host runs {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, not Windows.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HostUnsupportedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public HostUnsupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
