using System.Security.Cryptography;
using System.Text;

namespace MdiFlow.Lab.Identity;

/// <summary>What the lab's OpenID Connect issuer knows: its people, the applications that may sign them in, its clock.</summary>
public sealed class LabIdentityOptions
{
    /// <summary>The tenant the issuer answers for (the <c>tid</c> claim and the path of every endpoint, as Entra ID's are).</summary>
    public Guid TenantId { get; init; } = new("6b1f0b57-3c4c-4f39-9d0c-6d1ab0c4d5e1");

    /// <summary>The people who can sign in (alice, bob, carol and dave unless a test says otherwise).</summary>
    public IReadOnlyList<LabPerson> People { get; init; } = LabPerson.Defaults;

    /// <summary>The applications that may ask for sign-ins (their client ids, secrets and redirect URIs).</summary>
    public IReadOnlyList<LabClient> Clients { get; init; } = [];

    /// <summary>The audience (<c>aud</c>) of the access tokens the issuer hands out: the change-board API's application id URI.</summary>
    public string ApiAudience { get; init; } = "api://mdiflow";

    /// <summary>How long ID and access tokens are valid.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The clock for <c>iat</c>, <c>exp</c>, <c>auth_time</c> and code expiry (the system clock unless a test fakes it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The port to listen on; 0 lets the system pick one.</summary>
    public int Port { get; init; }
}

/// <summary>A lab person: someone who signs in through the lab issuer.</summary>
/// <param name="UserName">The sign-in name and <c>preferred_username</c> (for example <c>bob</c>); what the journal records.</param>
/// <param name="DisplayName">The <c>name</c> claim.</param>
/// <param name="Groups">
/// The person's groups synced from the lab's Active Directory, by name: the <c>groups</c> claim (as a token configured to
/// emit sAMAccountName carries them), and what the lab's Graph (<see cref="LabDirectoryGraph"/>) lists, each with a
/// stable object id (<see cref="LabDirectoryGraph.GroupId"/>) and the name as its <c>onPremisesSamAccountName</c>.
/// </param>
public sealed record LabPerson(string UserName, string DisplayName, IReadOnlyList<string> Groups)
{
    /// <summary>The most groups Entra ID puts in a JWT's <c>groups</c> claim; a person in more gets the overage form instead.</summary>
    public const int TokenGroupLimit = 200;

    /// <summary>
    /// Whether this person's tokens carry Entra ID's group overage form (<c>_claim_names</c> and <c>_claim_sources</c>)
    /// instead of a <c>groups</c> claim, whatever their number of groups; a person in more than <see cref="TokenGroupLimit"/>
    /// groups always does. The groups are then read from Graph.
    /// </summary>
    public bool GroupOverage { get; init; }

    /// <summary>
    /// Cloud-only groups (created in Entra ID, not synced from Active Directory): Graph lists them with a display name
    /// and no <c>onPremisesSamAccountName</c>, and tokens carry only their object ids. Display names are not unique, and
    /// in many tenants anyone may create such a group, so nothing may trust them by name.
    /// </summary>
    public IReadOnlyList<string> CloudGroups { get; init; } = [];

    /// <summary>Whether the tokens carry the overage form rather than the <c>groups</c> claim.</summary>
    internal bool HasGroupOverage => GroupOverage || Groups.Count > TokenGroupLimit;

    /// <summary>alice (an operator who starts changes), and bob, carol and dave (the change board).</summary>
    public static IReadOnlyList<LabPerson> Defaults { get; } =
    [
        new("alice", "Alice Andersen", ["operators"]),
        new("bob", "Bob Brennan", ["change-board"]),
        new("carol", "Carol Chen", ["change-board"]),
        new("dave", "Dave Dubois", ["change-board", "operators"]),
    ];

    /// <summary>The object id (<c>oid</c>), stable for a user name so records from several runs agree.</summary>
    public Guid ObjectId => new(SHA256.HashData(Encoding.UTF8.GetBytes("mdiflow-lab-person:" + UserName))[..16]);

    /// <summary>The user principal name (<c>upn</c>).</summary>
    public string UserPrincipalName => UserName + "@lab.mdiflow.test";
}

/// <summary>An application registered with the lab issuer.</summary>
public sealed record LabClient
{
    /// <summary>The client id (<c>aud</c> of its ID tokens).</summary>
    public required string ClientId { get; init; }

    /// <summary>The client secret a confidential client presents at the token endpoint; null for a public client (PKCE only).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Where the issuer may send people back after sign-in (exact match, as Entra ID requires).</summary>
    public required IReadOnlyList<Uri> RedirectUris { get; init; }

    /// <summary>
    /// The Microsoft Graph application permissions granted to the application with admin consent (for example
    /// <c>GroupMember.Read.All</c>): the <c>roles</c> of the app-only tokens it gets with the client-credentials grant.
    /// </summary>
    public IReadOnlyList<string> ApplicationPermissions { get; init; } = [];
}
