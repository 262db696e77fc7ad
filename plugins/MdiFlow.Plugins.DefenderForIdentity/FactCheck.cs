namespace MdiFlow.Plugins.DefenderForIdentity;

/// <summary>One fact checked against a requirement, as approvers read it later.</summary>
public sealed record FactCheck
{
    /// <summary>What was checked, for example <c>memory</c> or <c>deletedObjectsReadable</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the fact meets the requirement.</summary>
    public required FactStatus Status { get; init; }

    /// <summary>What was found, for example <c>8 GB</c>.</summary>
    public string? Value { get; init; }

    /// <summary>What the documentation asks for, for example <c>at least 6 GB</c>.</summary>
    public string? Requirement { get; init; }

    /// <summary>What to know or do about it.</summary>
    public string? Note { get; init; }
}

/// <summary>How a fact measures up.</summary>
public enum FactStatus
{
    /// <summary>It meets the requirement.</summary>
    Pass,

    /// <summary>It works, but the documentation recommends otherwise, or the fact could not be read.</summary>
    Warn,

    /// <summary>It does not meet a hard requirement.</summary>
    Fail,
}
