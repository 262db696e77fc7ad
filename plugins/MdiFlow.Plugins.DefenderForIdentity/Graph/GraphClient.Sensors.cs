namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>The Defender for Identity calls under <c>v1.0/security/identities</c>: key, package, sensors and sensor candidates.</summary>
internal sealed partial class GraphClient
{
    /// <summary>
    /// The workspace's deployment access key, read from either documented shape: the resource type's
    /// <c>{"deploymentAccessKey": ...}</c> or the v1.0 example's <c>{"value": {"sensorDeploymentAccessKey": ...}}</c>.
    /// A secret: never log it or put it in an error.
    /// </summary>
    public async Task<GraphResult<AccessKeyAnswer>> DeploymentAccessKeyAsync(CancellationToken cancellationToken)
    {
        var result = await GetAsync<AccessKeyAnswer>(GraphCall.DeploymentAccessKey, Address("v1.0/security/identities/sensors/getDeploymentAccessKey"), cancellationToken).ConfigureAwait(false);
        return result.TryGetValue(out var key, out _) && string.IsNullOrWhiteSpace(key.Key)
            ? GraphResult<AccessKeyAnswer>.Failure(GraphFailures.UnexpectedShape(GraphCall.DeploymentAccessKey, "it has neither deploymentAccessKey nor value.sensorDeploymentAccessKey"))
            : result;
    }

    /// <summary>The sensor package's download URL and version (<c>getDeploymentPackageUri</c>), from either shape (plain or under <c>value</c>).</summary>
    public async Task<GraphResult<PackageAnswer>> DeploymentPackageAsync(CancellationToken cancellationToken)
    {
        var result = await GetAsync<PackageAnswer>(GraphCall.DeploymentPackageUri, Address("v1.0/security/identities/sensors/getDeploymentPackageUri"), cancellationToken).ConfigureAwait(false);
        return result.TryGetValue(out var package, out _) && (package.DownloadUrl is null || package.Version is null)
            ? GraphResult<PackageAnswer>.Failure(GraphFailures.UnexpectedShape(GraphCall.DeploymentPackageUri, "it has no downloadUrl and version"))
            : result;
    }

    /// <summary>The workspace's sensors (<c>GET /security/identities/sensors</c>), with health and deployment status.</summary>
    public Task<GraphResult<IReadOnlyList<GraphSensor>>> SensorsAsync(CancellationToken cancellationToken) =>
        ListAsync<GraphSensor>(GraphCall.Sensors, "v1.0/security/identities/sensors", cancellationToken);

    /// <summary>The servers ready for sensor v3.x activation (<c>GET /security/identities/sensorCandidates</c>).</summary>
    public Task<GraphResult<IReadOnlyList<SensorCandidate>>> SensorCandidatesAsync(CancellationToken cancellationToken) =>
        ListAsync<SensorCandidate>(GraphCall.SensorCandidates, "v1.0/security/identities/sensorCandidates", cancellationToken);

    /// <summary>Activates sensor v3.x on the given candidates (<c>POST /security/identities/sensorCandidates/activate</c>; 200 with no body).</summary>
    public Task<GraphResult<NoContent>> ActivateSensorCandidatesAsync(IReadOnlyList<string> serverIds, CancellationToken cancellationToken) =>
        SendAsync<NoContent>(GraphCall.ActivateSensorCandidates, HttpMethod.Post, Address("v1.0/security/identities/sensorCandidates/activate"), new ActivateRequest(serverIds), cancellationToken);
}
