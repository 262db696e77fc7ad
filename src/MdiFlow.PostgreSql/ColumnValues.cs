using MdiFlow.Instances;
using MdiFlow.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MdiFlow.PostgreSql;

/// <summary>How values are kept in the store's columns: times as UTC .NET ticks, statuses in lowercase, text as text.</summary>
internal static class ColumnValues
{
    /// <summary>Every tick survives (a <c>timestamptz</c> keeps microseconds), and ticks sort as time does.</summary>
    public static long FromTime(DateTimeOffset value) => value.UtcTicks;

    public static long? FromTime(DateTimeOffset? value) => value?.UtcTicks;

    public static DateTimeOffset ToTime(long ticks, StoreSettings settings) =>
        ticks is >= 0 and <= 3_155_378_975_999_999_999
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw StoreErrors.Damaged(settings, $"{ticks} is not a time");

    public static string FromStatus(InstanceStatus status) => StoredInstances.StatusName(status);

    public static InstanceStatus ToStatus(string text, StoreSettings settings) =>
        StoredInstances.TryParseStatus(text, out var status)
            ? status
            : throw StoreErrors.Damaged(settings, $"'{text}' is not an instance status");

    /// <summary>A parameter of type <c>text</c>.</summary>
    public static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
}
