namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>One kind of Microsoft Graph request: how messages name it and the permission it needs.</summary>
/// <param name="Display">For example <c>GET v1.0/subscribedSkus</c>.</param>
/// <param name="Permissions">The permissions that allow it, least privileged first, for messages.</param>
internal sealed record GraphCall(string Display, string Permissions)
{
    /// <summary>What a 404 means for this call, when it has a known meaning.</summary>
    public string? NotFound { get; init; }

    /// <summary>What a 400 means for this call, when it has a known meaning.</summary>
    public string? BadRequest { get; init; }

    public static readonly GraphCall SubscribedSkus = new("GET v1.0/subscribedSkus", "LicenseAssignment.Read.All (the least privileged; Organization.Read.All or Directory.Read.All also allow it)");

    public static readonly GraphCall LicenseDetails = new("GET v1.0/users/{id}/licenseDetails", "LicenseAssignment.Read.All (the least privileged, delegated only; User.Read.All or Directory.Read.All also allow it)")
    {
        NotFound = "The directory has no such user: check 'userId' (an object id or user principal name).",
    };

    public static readonly GraphCall Me = new("GET v1.0/me", "User.Read")
    {
        BadRequest = "GET /me works only for a signed-in user (device code sign-in); with an application credential (client secret, certificate, managed identity) give 'userId' instead.",
    };

    public static readonly GraphCall User = new("GET v1.0/users/{id}", "User.Read.All or Directory.Read.All")
    {
        NotFound = "The directory has no such user: check 'userId' (an object id or user principal name).",
    };

    public static readonly GraphCall RoleAssignments = new("GET v1.0/roleManagement/directory/roleAssignments", "RoleManagement.Read.Directory (or Directory.Read.All)");

    public static readonly GraphCall MemberOf = new("GET v1.0/me/memberOf", "User.Read (the least privileged, delegated only; GroupMember.Read.All or Directory.Read.All also allow it)")
    {
        NotFound = "The directory has no such user: check 'userId' (an object id or user principal name).",
    };

    public static readonly GraphCall DeploymentAccessKey = new("GET v1.0/security/identities/sensors/getDeploymentAccessKey", "SecurityIdentitiesSensors.ReadWrite.All")
    {
        NotFound = NoWorkspace,
    };

    private const string NoWorkspace = "The tenant seems to have no Defender for Identity workspace yet: open System > Settings > Identities in the Microsoft Defender portal once as a Security Administrator (that creates it), then retry.";

    public static readonly GraphCall DeploymentPackageUri = new("GET v1.0/security/identities/sensors/getDeploymentPackageUri", "SecurityIdentitiesSensors.Read.All")
    {
        NotFound = NoWorkspace,
    };

    public static readonly GraphCall Sensors = new("GET v1.0/security/identities/sensors", "SecurityIdentitiesSensors.Read.All")
    {
        NotFound = NoWorkspace,
    };

    public static readonly GraphCall SensorCandidates = new("GET v1.0/security/identities/sensorCandidates", "SecurityIdentitiesSensors.Read.All")
    {
        NotFound = NoWorkspace,
    };

    /// <summary>Delegated calls also need the Security Administrator role or a Unified RBAC role with System settings (Read and manage).</summary>
    public static readonly GraphCall ActivateSensorCandidates = new("POST v1.0/security/identities/sensorCandidates/activate", "SecurityIdentitiesSensors.ReadWrite.All")
    {
        NotFound = NoWorkspace,
        BadRequest = "Graph did not accept the server id; list the candidates again (GET /security/identities/sensorCandidates) and activate the id it gives for this server.",
    };
}
