namespace MdiFlow.Storage;

/// <summary>
/// The stored record was changed outside MdiFlow: an instance's state disagrees with its seal or its journal, the
/// journal's chain is broken, or a stored definition no longer has its recorded hash. Nothing was run or recorded.
/// </summary>
public sealed class IntegrityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public IntegrityException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public IntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
