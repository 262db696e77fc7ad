namespace MdiFlow.Lab.Servers.Graph;

/// <summary>One documented Graph route: method, path template under <c>/v1.0</c>, and the permissions any one of which allows it.</summary>
internal sealed class GraphRoute(string method, string template, IReadOnlyList<string> permissions, Func<GraphRequest, GraphResponse> handle)
{
    private readonly string[] _segments = template.Split('/');

    public string Method { get; } = method;

    /// <summary>The template, for example <c>users/{id}/licenseDetails</c>; it also names the route in throttling.</summary>
    public string Template { get; } = template;

    public IReadOnlyList<string> Permissions { get; } = permissions;

    public Func<GraphRequest, GraphResponse> Handle { get; } = handle;

    /// <summary>How many leading segments match (to name the first segment Graph would not find).</summary>
    public int MatchedLength(IReadOnlyList<string> segments)
    {
        var length = 0;
        while (length < segments.Count && length < _segments.Length && Matches(_segments[length], segments[length]))
        {
            length++;
        }

        return length;
    }

    public bool TryMatch(IReadOnlyList<string> segments, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (segments.Count != _segments.Length || MatchedLength(segments) != segments.Count)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (_segments[i].StartsWith('{'))
            {
                values[_segments[i][1..^1]] = Uri.UnescapeDataString(segments[i]);
            }
        }

        return true;
    }

    // Graph matches path segments case-insensitively and accepts a function call with or without "()".
    private static bool Matches(string template, string segment) =>
        template.StartsWith('{') ||
        string.Equals(template, segment, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(template + "()", segment, StringComparison.OrdinalIgnoreCase);
}
