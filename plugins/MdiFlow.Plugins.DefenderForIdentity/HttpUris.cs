using System.Diagnostics.CodeAnalysis;

namespace MdiFlow.Plugins.DefenderForIdentity;

/// <summary>The URLs the MDI activities accept.</summary>
internal static class HttpUris
{
    /// <summary>Whether <paramref name="text"/> is an absolute http or https URL.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
