using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Serialization;

namespace MdiFlow.Policy;

/// <summary>
/// The organisation's rules, kept outside workflow files: its groups and the floors every gate must meet.
/// A workflow can be stricter than the floors, never looser.
/// </summary>
public sealed record OrganisationPolicy
{
    /// <summary>Groups by name, each a list of user names (case-insensitive).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The floors of every approval gate.</summary>
    public GateFloors Gates { get; init; } = new();

    /// <summary>SHA-256 of the policy file (or of its canonical JSON when built in code); recorded when a gate opens.</summary>
    public string Hash { get; init; } = "";

    /// <summary>Where the policy came from, for messages.</summary>
    public string Source { get; init; } = "built-in defaults";

    /// <summary>No groups; a gate needs one approval and the requester may not approve.</summary>
    public static OrganisationPolicy Default { get; } = new() { Hash = HashOf("{}") };

    /// <summary>Reads a policy file.</summary>
    /// <exception cref="PolicyException">The file cannot be read or is not a policy; the message says where.</exception>
    public static OrganisationPolicy Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException($"The policy file '{path}' cannot be read: {ex.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Parses policy JSON.</summary>
    /// <exception cref="PolicyException">It is not a policy; the message says where.</exception>
    public static OrganisationPolicy Parse(string json, string source)
    {
        PolicyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PolicyFile>(json, Strict);
        }
        catch (JsonException ex)
        {
            throw new PolicyException($"The policy '{source}' is not valid: {ex.Message} (path {ex.Path}, line {ex.LineNumber + 1}). Fix it, or remove it to use the defaults.");
        }

        if (file is null)
        {
            throw new PolicyException($"The policy '{source}' is empty.");
        }

        var floors = file.Gates ?? new GateFloors();
        if (floors.MinApprovals < 1)
        {
            throw new PolicyException($"The policy '{source}': gates.minApprovals must be 1 or more.");
        }

        if (floors.RequiredApproverGroup is { } required && !(file.Groups ?? []).ContainsKey(required))
        {
            throw new PolicyException($"The policy '{source}': gates.requiredApproverGroup '{required}' is not one of its groups.");
        }

        return new OrganisationPolicy
        {
            Groups = (file.Groups ?? []).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Value, StringComparer.OrdinalIgnoreCase),
            Gates = floors,
            Hash = HashOf(json),
            Source = source,
        };
    }

    /// <summary>Whether <paramref name="user"/> belongs to <paramref name="group"/>.</summary>
    public bool IsMember(string user, string group) =>
        Groups.TryGetValue(group, out var members) && members.Any(m => string.Equals(m, user, StringComparison.OrdinalIgnoreCase));

    private static readonly JsonSerializerOptions Strict = new(MdiFlowJson.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    private static string HashOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed record PolicyFile(Dictionary<string, List<string>>? Groups = null, GateFloors? Gates = null);
}

/// <summary>What every approval gate must at least require.</summary>
public sealed record GateFloors
{
    /// <summary>At least this many distinct approvers.</summary>
    public int MinApprovals { get; init; } = 1;

    /// <summary>When false, no gate lets the person who started the instance approve it.</summary>
    public bool RequesterMayApprove { get; init; }

    /// <summary>No gate waits longer than this before its expiry action.</summary>
    public TimeSpan? MaxExpiry { get; init; }

    /// <summary>Only members of this group can approve, whatever the workflow lists.</summary>
    public string? RequiredApproverGroup { get; init; }
}

/// <summary>The policy cannot be used.</summary>
public sealed class PolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PolicyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
