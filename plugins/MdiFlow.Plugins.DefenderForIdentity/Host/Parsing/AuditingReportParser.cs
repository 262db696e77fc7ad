using System.Text.Json;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>Parses what <c>Host/Windows/Scripts/AuditingScript.ps1</c> prints into the directory part of <see cref="AuditFacts"/>.</summary>
internal static class AuditingReportParser
{
    /// <exception cref="FormatException">The output is not the script's JSON, or a security descriptor does not parse.</exception>
    public static AuditFacts Parse(string output)
    {
        var item = PowerShellJson.Single(output, "auditing report");
        return new AuditFacts
        {
            DomainObjectSacl = PowerShellJson.String(item, "domainObject") is { } domain ? Sacl(domain) : null,
            DomainSchemaVersion = PowerShellJson.Number(item, "schemaVersion") is { } schema ? (int)schema : null,
            ConfigurationContainer = Container(item, "configurationContainer"),
            AdfsContainer = Container(item, "adfsContainer"),
            AdfsAuditLevel = PowerShellJson.String(item, "adfsAuditLevel") is { Length: > 0 } level ? level : null,
        };
    }

    private static ContainerAudit? Container(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var container) || container.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var present = PowerShellJson.Boolean(container, "present") ?? false;
        return new ContainerAudit(present, present && PowerShellJson.String(container, "securityDescriptor") is { } descriptor ? Sacl(descriptor) : []);
    }

    private static IReadOnlyList<AuditAce> Sacl(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException ex)
        {
            throw new FormatException("A security descriptor in the auditing report is not base64.", ex);
        }

        return SecurityDescriptorParser.AuditEntries(bytes);
    }
}
