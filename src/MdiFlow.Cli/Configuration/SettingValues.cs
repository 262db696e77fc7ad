using System.Globalization;
using System.Text.RegularExpressions;
using MdiFlow.Secrets;

namespace MdiFlow.Cli.Configuration;

/// <summary>What a setting accepts, and how its value is shown: secrets only by reference, never their value.</summary>
internal static partial class SettingValues
{
    /// <summary>Why <paramref name="value"/> cannot be used for <paramref name="setting"/>, or null. Never repeats a secret.</summary>
    public static string? Problem(Setting setting, string value)
    {
        if (setting.Secret)
        {
            return SecretReference.IsValid(value)
                ? null
                : "a secret is given only by reference, env:VARIABLE or file:PATH, never as its value (the value is not shown; replace the secret, it was written down)";
        }

        if (setting.Allowed is { } allowed && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return $"'{value}' is not one of {string.Join(", ", allowed)}";
        }

        if (setting == Settings.AuthorityHost || setting == Settings.GraphAddress)
        {
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.UserInfo)
                ? null
                : $"'{value}' is not an https:// address";
        }

        if (setting == Settings.GraphProxy || setting == Settings.SensorApiProxy)
        {
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo)
                ? null
                : $"'{Shown(setting, value)}' is not a proxy address such as http://proxy.contoso.com:8080 (credentials go in sensorApi.proxyCredential, by reference)";
        }

        if (setting == Settings.WorkerInterval)
        {
            return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600
                ? null
                : $"'{value}' is not a number of seconds from 1 to 3600";
        }

        return null;
    }

    /// <summary>The value as <c>config show</c> prints it: a secret's reference (never a value), and no password inside a connection string or address.</summary>
    public static string Shown(Setting setting, string value)
    {
        if (setting.Secret)
        {
            return SecretReference.IsValid(value) ? $"{value} (a reference; the secret is not shown)" : "******** (refused: not a reference)";
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return value.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":********", StringComparison.Ordinal);
        }

        return ConnectionStringPassword().Replace(value, "${key}=********");
    }

    [GeneratedRegex(@"(?<key>password|pwd)\s*=\s*[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();
}
