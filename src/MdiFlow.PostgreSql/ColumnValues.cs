using System.Collections.Frozen;
using MdiFlow.Instances;
using Npgsql;
using NpgsqlTypes;

namespace MdiFlow.PostgreSql;

/// <summary>How values are kept in the store's columns: times as UTC .NET ticks, statuses in lowercase, text as text.</summary>
internal static class ColumnValues
{
    private static readonly FrozenDictionary<InstanceStatus, string> StatusNames =
        Enum.GetValues<InstanceStatus>().ToFrozenDictionary(s => s, s => s.ToString().ToLowerInvariant());

    private static readonly FrozenDictionary<string, InstanceStatus> StatusesByName =
        StatusNames.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    /// <summary>Every tick survives (a <c>timestamptz</c> keeps microseconds), and ticks sort as time does.</summary>
    public static long FromTime(DateTimeOffset value) => value.UtcTicks;

    public static long? FromTime(DateTimeOffset? value) => value?.UtcTicks;

    public static DateTimeOffset ToTime(long ticks, StoreSettings settings) =>
        ticks is >= 0 and <= 3_155_378_975_999_999_999
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw StoreErrors.Damaged(settings, $"{ticks} is not a time");

    public static string FromStatus(InstanceStatus status) => StatusNames[status];

    public static InstanceStatus ToStatus(string text, StoreSettings settings) =>
        StatusesByName.TryGetValue(text, out var status)
            ? status
            : throw StoreErrors.Damaged(settings, $"'{text}' is not an instance status");

    /// <summary>A parameter of type <c>text</c>.</summary>
    public static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
}
