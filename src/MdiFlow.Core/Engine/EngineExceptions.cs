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

/// <summary>
/// The organisation policy requires a fresher or stronger sign-in for this decision (multi-factor, or a sign-in no
/// older than <see cref="MaxAge"/>): the person must sign in again; nothing was recorded.
/// </summary>
public sealed class ReauthenticationRequiredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReauthenticationRequiredException(string message, bool requireMfa, TimeSpan? maxAge)
        : base(message)
    {
        RequireMfa = requireMfa;
        MaxAge = maxAge;
    }

    /// <summary>Creates the exception.</summary>
    public ReauthenticationRequiredException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ReauthenticationRequiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ReauthenticationRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether the sign-in must use multi-factor authentication (<c>mfa</c> in <c>amr</c>).</summary>
    public bool RequireMfa { get; }

    /// <summary>The oldest sign-in (<c>auth_time</c>) the decision accepts, as an age; null when any age will do.</summary>
    public TimeSpan? MaxAge { get; }
}
