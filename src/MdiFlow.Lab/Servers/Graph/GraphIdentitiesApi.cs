using System.Text.Json.Nodes;
using MdiFlow.Lab.Profiles;

namespace MdiFlow.Lab.Servers.Graph;

/// <summary>
/// The Defender for Identity routes under <c>/v1.0/security/identities</c>: the access key (in the profile's documented
/// shape), the package URI, the sensors list (from what the lab server holds: an installed v2.x or an activated v3.x
/// sensor) and the sensor candidates with their activation.
/// </summary>
internal sealed class GraphIdentitiesApi(LabProfile profile, LabState state, Func<Uri> packageUrl, TimeProvider time)
{
    internal static readonly string[] SensorsRead = ["SecurityIdentitiesSensors.Read.All", "SecurityIdentitiesSensors.ReadWrite.All"];
    internal static readonly string[] SensorsWrite = ["SecurityIdentitiesSensors.ReadWrite.All"];

    private readonly LabSensorService _service = profile.Tenant.Identities;
    private int _sensorReads;

    public IReadOnlyList<GraphRoute> Routes(Func<bool> holdsAdminRole) =>
    [
        new("GET", "security/identities/sensors/getDeploymentAccessKey", SensorsWrite, _ => holdsAdminRole() ? AccessKey(regenerate: false) : GraphResponse.Denied()),
        new("POST", "security/identities/sensors/regenerateDeploymentAccessKey", SensorsWrite, _ => holdsAdminRole() ? AccessKey(regenerate: true) : GraphResponse.Denied()),
        new("GET", "security/identities/sensors/getDeploymentPackageUri", SensorsRead, _ => Package()),
        new("GET", "security/identities/sensors", SensorsRead, Sensors),
        new("GET", "security/identities/sensorCandidates", SensorsRead, Candidates),
        new("POST", "security/identities/sensorCandidates/activate", SensorsWrite, r => holdsAdminRole() ? Activate(r) : GraphResponse.Denied()),
    ];

    private GraphResponse AccessKey(bool regenerate)
    {
        if (regenerate)
        {
            state.WriteAccessKey(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)));
        }

        var key = state.ReadAccessKey();
        return GraphResponse.Ok(_service.AccessKeyShape == LabAccessKeyShape.Value
            ? new JsonObject
            {
                ["value"] = new JsonObject
                {
                    ["@odata.type"] = "microsoft.graph.security.deploymentAccessKeyType",
                    ["sensorDeploymentAccessKey"] = key,
                },
            }
            : GraphEntities.DeploymentAccessKey(key));
    }

    private GraphResponse Package() => GraphResponse.Ok(new JsonObject
    {
        ["value"] = new JsonObject
        {
            ["@odata.type"] = "microsoft.graph.security.sensorDeploymentPackage",
            ["downloadUrl"] = packageUrl().ToString(),
            ["version"] = profile.Installer.SensorVersion,
        },
    });

    private GraphResponse Sensors(GraphRequest request)
    {
        var sensors = new List<JsonObject>();
        var server = profile.Server;
        var reads = Interlocked.Increment(ref _sensorReads);
        var health = reads <= _service.Health.ReadsBeforeReady ? _service.Health with { DeploymentStatus = "syncing", HealthStatus = "notHealthyLow", OpenHealthIssuesCount = 1 } : _service.Health;
        if (state.ReadSensor() is { Installation.Installed: true } installed)
        {
            sensors.Add(Sensor(server.ComputerName, SensorType(server), installed.Installation.Version ?? profile.Installer.SensorVersion, installed.InstalledAt ?? time.GetUtcNow(), health, installed.DelayedUpdate));
        }

        if (state.ReadActivatedSensor() is { } activated)
        {
            sensors.Add(Sensor(server.ComputerName, "domainControllerIntegrated", activated.Version, activated.ActivatedAt, health, delayed: false));
        }

        return GraphPaging.Page(request, "security/identities/sensors", sensors, profile.Tenant.PageSize);
    }

    private GraphResponse Candidates(GraphRequest request)
    {
        var activated = state.ReadActivatedSensor()?.CandidateId;
        var candidates = _service.SensorCandidates.Where(c => c.Id != activated).Select(c => new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.security.sensorCandidate",
            ["id"] = c.Id,
            ["computerDnsName"] = c.ComputerDnsName,
            ["senseClientVersion"] = c.SenseClientVersion,
            ["lastSeenDateTime"] = time.GetUtcNow().AddMinutes(-5).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["domainName"] = c.DomainName,
        }).ToList();
        return GraphPaging.Page(request, "security/identities/sensorCandidates", candidates, profile.Tenant.PageSize);
    }

    private GraphResponse Activate(GraphRequest request)
    {
        if (request.Body?["serverIds"] is not JsonArray ids || ids.Count == 0 || ids.Any(i => i is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            return GraphResponse.Error(400, "BadRequest", "The request body must hold 'serverIds', a collection of server identifiers.");
        }

        var known = _service.SensorCandidates;
        foreach (var id in ids.Select(i => i!.GetValue<string>()))
        {
            var candidate = known.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
            if (candidate is null)
            {
                return GraphResponse.Error(404, "ResourceNotFound", $"The sensor candidate '{id}' was not found.");
            }

            if (state.ReadActivatedSensor() is null)
            {
                state.WriteActivatedSensor(new ActivatedSensor(candidate.Id, candidate.ComputerDnsName, _service.SensorV3Version, time.GetUtcNow()));
            }
        }

        return GraphResponse.Empty(200);
    }

    private static string SensorType(Plugins.DefenderForIdentity.Host.ServerFacts server) =>
        server.IsDomainController ? "domainControllerIntegrated"
        : server.Roles.Contains("adfs") ? "adfsIntegrated"
        : server.Roles.Contains("adcs") ? "adcsIntegrated"
        : server.Roles.Contains("entraConnect") ? "adConnectIntegrated"
        : "domainControllerStandalone";

    private JsonObject Sensor(string name, string type, string version, DateTimeOffset created, LabSensorHealth health, bool delayed)
    {
        var domain = profile.Server.Domain ?? "contoso.com";
        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.security.sensor",
            ["id"] = GraphEntities.Id(GraphEntities.StableId("sensor", profile.Tenant.TenantId, name)),
            ["displayName"] = name,
            ["sensorType"] = type,
            ["version"] = version,
            ["deploymentStatus"] = health.DeploymentStatus,
            ["createdDateTime"] = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["domainName"] = domain,
            ["healthStatus"] = health.HealthStatus,
            ["openHealthIssuesCount"] = health.OpenHealthIssuesCount,
            ["settings"] = new JsonObject
            {
                ["@odata.type"] = "microsoft.graph.security.sensorSettings",
                ["description"] = null,
                ["domainControllerDnsNames"] = new JsonArray($"{name}.{domain}"),
                ["isDelayedDeploymentEnabled"] = delayed,
            },
        };
    }
}
