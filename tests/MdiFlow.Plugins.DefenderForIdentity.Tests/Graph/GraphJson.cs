namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Graph;

/// <summary>Response bodies in the shapes Microsoft Graph documents.</summary>
internal static class GraphJson
{
    public const string AtaPlan = "14ab5db5-e6c4-4b20-b4bc-13e36fd2227f";

    public static string SubscribedSkus(params string[] skus) =>
        $$"""{ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscribedSkus", "value": [ {{string.Join(", ", skus)}} ] }""";

    public static string Sku(string partNumber, string capabilityStatus = "Enabled", int enabledUnits = 25, int consumed = 3, string planStatus = "Success", bool withAta = true) => $$"""
        {
          "capabilityStatus": "{{capabilityStatus}}",
          "consumedUnits": {{consumed}},
          "id": "48a80680-7326-48cd-9935-b556b81d3a4e_{{partNumber}}",
          "prepaidUnits": { "enabled": {{enabledUnits}}, "suspended": 0, "warning": 0, "lockedOut": 0 },
          "servicePlans": [
            { "servicePlanId": "8c098270-9dd4-4350-9b30-ba4703f3b36b", "servicePlanName": "ADALLOM_S_STANDALONE", "provisioningStatus": "Success", "appliesTo": "User" }
            {{(withAta ? $$""", { "servicePlanId": "{{AtaPlan}}", "servicePlanName": "ATA", "provisioningStatus": "{{planStatus}}", "appliesTo": "User" }""" : "")}}
          ],
          "skuId": "b05e124f-c7cc-45a0-a6aa-8cf78c946968",
          "skuPartNumber": "{{partNumber}}",
          "appliesTo": "User"
        }
        """;

    public static string LicenseDetails(string partNumber, string planStatus) => $$"""
        {
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('admin%40contoso.com')/licenseDetails",
          "value": [
            {
              "id": "AYTPRm0aVEq9lc0jyQ5D3g",
              "skuId": "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
              "skuPartNumber": "{{partNumber}}",
              "servicePlans": [
                { "servicePlanId": "{{AtaPlan}}", "servicePlanName": "ATA", "provisioningStatus": "{{planStatus}}", "appliesTo": "User" },
                { "servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0", "servicePlanName": "EXCHANGE_S_ENTERPRISE", "provisioningStatus": "Success", "appliesTo": "User" }
              ]
            }
          ]
        }
        """;

    public const string Me = """
        {
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
          "displayName": "Adele Vance",
          "userPrincipalName": "adele@contoso.com",
          "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
        }
        """;

    public static string RoleAssignments(params (string RoleDefinitionId, string Scope)[] assignments) =>
        $$"""{ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments", "value": [ {{string.Join(", ", assignments.Select((a, i) => $$"""{ "id": "lAPpYvVpN0KRkAEhdxReE{{i}}", "principalId": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "roleDefinitionId": "{{a.RoleDefinitionId}}", "directoryScopeId": "{{a.Scope}}" }"""))}} ] }""";

    public static string MemberOf(params string[] objects) =>
        $$"""{ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects", "value": [ {{string.Join(", ", objects)}} ] }""";

    public static string DirectoryRole(string id, string roleTemplateId, string displayName) =>
        $$"""{ "@odata.type": "#microsoft.graph.directoryRole", "id": "{{id}}", "deletedDateTime": null, "description": "{{displayName}} role", "displayName": "{{displayName}}", "roleTemplateId": "{{roleTemplateId}}" }""";

    public static string Group(string id, string displayName) =>
        $$"""{ "@odata.type": "#microsoft.graph.group", "id": "{{id}}", "displayName": "{{displayName}}", "securityEnabled": true }""";

    public static string AccessKey(string key) =>
        $$"""{ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.deploymentAccessKeyType", "deploymentAccessKey": "{{key}}" }""";

    /// <summary>The v1.0 example's shape of getDeploymentAccessKey.</summary>
    public static string AccessKeyInValue(string key) =>
        $$"""{ "value": { "@odata.type": "microsoft.graph.security.deploymentAccessKeyType", "sensorDeploymentAccessKey": "{{key}}" } }""";

    /// <summary>The v1.0 example's shape of getDeploymentPackageUri.</summary>
    public static string PackageUri(string downloadUrl, string version) =>
        $$"""{ "value": { "@odata.type": "microsoft.graph.security.sensorDeploymentPackage", "downloadUrl": "{{downloadUrl}}", "version": "{{version}}" } }""";

    public static string Sensors(params string[] sensors) =>
        $$"""{ "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/identities/sensors", "value": [ {{string.Join(", ", sensors)}} ] }""";

    public static string Sensor(string name, string healthStatus = "healthy", string deploymentStatus = "upToDate", string version = "2.239.18124.58593", string type = "domainControllerIntegrated", int issues = 0) => $$"""
        {
          "@odata.type": "#microsoft.graph.security.sensor",
          "id": "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c",
          "displayName": "{{name}}",
          "sensorType": "{{type}}",
          "version": "{{version}}",
          "deploymentStatus": "{{deploymentStatus}}",
          "createdDateTime": "2023-11-16T09:41:24.2585071Z",
          "domainName": "domain1.test.local",
          "healthStatus": "{{healthStatus}}",
          "openHealthIssuesCount": {{issues}},
          "settings": { "@odata.type": "microsoft.graph.security.sensorSettings", "description": "dc1 settings", "domainControllerDnsNames": [ "{{name}}.domain1.test.local" ], "isDelayedDeploymentEnabled": true }
        }
        """;

    public static string SensorCandidates(params (string Id, string DnsName)[] candidates) =>
        $$"""{ "value": [ {{string.Join(", ", candidates.Select(c => $$"""{ "@odata.type": "#microsoft.graph.security.sensorCandidate", "id": "{{c.Id}}", "computerDnsName": "{{c.DnsName}}", "senseClientVersion": "10.8780.27711.1000", "lastSeenDateTime": "2024-10-29T19:55:10.9452778Z", "domainName": "def.defensor.local" }"""))}} ] }""";
}
