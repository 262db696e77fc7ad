using Microsoft.Extensions.Logging;

namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>The installer's structured log messages (never with a secret).</summary>
internal static partial class InstallLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Running the sensor setup {Setup} with {Arguments}")]
    public static partial void LogSetupStarting(this ILogger logger, string setup, string arguments);
}
