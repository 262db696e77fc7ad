using System.Globalization;

namespace MdiFlow.PostgreSql.WakeUps;

/// <summary>
/// The text of a wake-up notification on <see cref="Channel"/>: the host whose worker should look ('' for any worker),
/// a space, and the earliest wake time the commit wrote for it, in UTC .NET ticks. It carries no instance id and no
/// data: it only says "look now" or "look at this time".
/// </summary>
internal static class WakePayload
{
    /// <summary>The channel every store's commits notify and every worker listens on.</summary>
    public const string Channel = "mdiflow_wake";

    public static string Format(string host, DateTimeOffset wakeAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{host} {wakeAt.UtcTicks}");

    /// <summary>Reads a payload; null when it is not one (a notification someone else sent on the channel).</summary>
    public static (string Host, DateTimeOffset WakeAt)? Parse(string payload)
    {
        var space = payload.LastIndexOf(' ');
        return space >= 0
            && long.TryParse(payload.AsSpan(space + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks is >= 0 and <= 3_155_378_975_999_999_999
            ? (payload[..space], new DateTimeOffset(ticks, TimeSpan.Zero))
            : null;
    }
}
