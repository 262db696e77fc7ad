namespace MdiFlow.Storage;

/// <summary>Another writer changed the instance first; reload it and decide again.</summary>
/// <remarks>
/// When <see cref="LeaseLost"/> is set, the writer held a lease that another process has since taken over (its
/// fencing token is stale): it must stop what it runs, and nothing it did after losing the lease counts.
/// </remarks>
public sealed class ConcurrencyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception, saying whether the writer's lease was taken over.</summary>
    public ConcurrencyException(string message, bool leaseLost)
        : base(message) => LeaseLost = leaseLost;

    /// <summary>Creates the exception, saying whether the writer's lease was taken over.</summary>
    public ConcurrencyException(string message, bool leaseLost, Exception innerException)
        : base(message, innerException) => LeaseLost = leaseLost;

    /// <summary>The save carried a lease whose fencing token is stale: another process claimed the instance since.</summary>
    public bool LeaseLost { get; }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The store cannot be used: unreadable, locked too long, corrupt, not an MdiFlow store, or newer.</summary>
public sealed class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
