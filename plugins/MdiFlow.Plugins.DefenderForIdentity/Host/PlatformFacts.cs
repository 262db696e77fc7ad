namespace MdiFlow.Plugins.DefenderForIdentity.Host;

/// <summary>The virtualization platform and how it allocates the server's memory (all of it must be allocated at all times).</summary>
public sealed record VirtualizationFacts
{
    /// <summary><c>Physical</c>, <c>Hyper-V</c>, <c>Azure</c>, <c>VMware</c>, <c>KVM</c>, <c>AWS</c>, ... as Test-MdiReadiness names machine types.</summary>
    public required string Platform { get; init; }

    /// <summary>Hyper-V: whether Dynamic Memory is on for this VM (seen from inside the guest); null when unknown or not Hyper-V.</summary>
    public bool? DynamicMemoryEnabled { get; init; }

    /// <summary>VMware: the memory reservation in bytes (VMware Tools' <c>stat memres</c>); null when unknown or not VMware.</summary>
    public long? MemoryReservationBytes { get; init; }

    /// <summary>Whether the platform is a virtual machine.</summary>
    public bool IsVirtual => !string.Equals(Platform, "Physical", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One registry value as read (null when the value is not set).</summary>
/// <param name="Path">The key under HKLM, for example <c>SOFTWARE\Microsoft\.NETFramework\v4.0.30319</c>.</param>
/// <param name="Name">The value's name.</param>
/// <param name="Value">The DWORD, or null when it is not set.</param>
public sealed record RegistryValueFact(string Path, string Name, long? Value);
