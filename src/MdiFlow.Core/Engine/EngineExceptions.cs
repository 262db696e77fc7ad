using MdiFlow.Instances;

namespace MdiFlow.Engine;

/// <summary>The instance's state forbids the operation; the message says the state and what is allowed.</summary>
public sealed class InstanceStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InstanceStateException(InstanceStatus status, string message)
        : base(message) => Status = status;

    /// <summary>Creates the exception.</summary>
    public InstanceStateException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public InstanceStateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InstanceStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The instance's status when the operation was refused.</summary>
    public InstanceStatus Status { get; }
}

/// <summary>No instance has that id, or a prefix matches several.</summary>
public sealed class InstanceNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InstanceNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public InstanceNotFoundException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public InstanceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Identity or policy forbids the action (not an approver, the requester, not an assignee).</summary>
public sealed class ActionNotAllowedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ActionNotAllowedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ActionNotAllowedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ActionNotAllowedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
