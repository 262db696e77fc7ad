namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>
/// The facts of the target server cannot be read. <see cref="IHostFacts"/> implementations throw it;
/// the activities turn it into a failed step whose message is this exception's message.
/// </summary>
/// <remarks>Messages are for operators: what could not be read and why. Never put a secret in one.</remarks>
public class HostFactsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HostFactsException()
    {
    }

    /// <summary>Creates the exception with a message for the operator.</summary>
    public HostFactsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the operator and the cause.</summary>
    public HostFactsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
