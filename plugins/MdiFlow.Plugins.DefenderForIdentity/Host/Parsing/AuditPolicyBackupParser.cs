using System.Globalization;

namespace MdiFlow.Plugins.DefenderForIdentity.Host.Parsing;

/// <summary>
/// Parses the CSV <c>auditpol /backup /file:...</c> writes: a (localized) header row, then
/// <c>Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value</c> per row.
/// The column order is fixed across languages, so rows are read by position and only the GUID and the numeric
/// Setting Value are used (as Test-MdiReadiness.ps1 does since its localized-header fix).
/// </summary>
internal static class AuditPolicyBackupParser
{
    /// <exception cref="FormatException">The text has no subcategory rows.</exception>
    public static IReadOnlyList<AuditPolicySetting> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var settings = new List<AuditPolicySetting>();
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        foreach (var line in lines.Skip(1))
        {
            var columns = line.Split(',');
            if (columns.Length < 7)
            {
                continue;
            }

            var guid = columns[3].Trim().Trim('{', '}');
            if (!Guid.TryParse(guid, out var parsed) || !int.TryParse(columns[6].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            settings.Add(new AuditPolicySetting(parsed.ToString("D"), columns[2].Trim(), value));
        }

        return lines.Count > 0 ? settings : throw new FormatException("auditpol /backup wrote nothing.");
    }
}
