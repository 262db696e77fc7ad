using System.Globalization;
using MdiFlow.Instances;
using MdiFlow.Storage;

namespace MdiFlow.Sqlite;

/// <summary>How values are written in the store's columns: times as ISO 8601 round-trip text in UTC, statuses in lowercase.</summary>
internal static class ColumnText
{
    /// <summary>Every tick survives, and UTC text of one fixed length sorts as time does.</summary>
    public static string FromTime(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static string? FromTime(DateTimeOffset? value) => value is { } v ? FromTime(v) : null;

    public static DateTimeOffset ToTime(string text, string path) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw StoreErrors.Damaged(path, $"'{text}' is not a time");

    public static string FromStatus(InstanceStatus status) => StoredInstances.StatusName(status);

    public static InstanceStatus ToStatus(string text, string path) =>
        StoredInstances.TryParseStatus(text, out var status)
            ? status
            : throw StoreErrors.Damaged(path, $"'{text}' is not an instance status");
}
