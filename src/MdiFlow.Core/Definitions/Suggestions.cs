namespace MdiFlow.Definitions;

/// <summary>The "did you mean" of validation messages: the known name closest to a mistyped one.</summary>
internal static class Suggestions
{
    /// <summary>The candidate closest to <paramref name="name"/>, when one is close enough to be what was meant.</summary>
    public static string? Nearest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestScore = int.MaxValue;
        foreach (var candidate in candidates.Where(c => c.Length > 0 && c != name))
        {
            var score = string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)
                ? 0
                : candidate.StartsWith(name, StringComparison.OrdinalIgnoreCase) || name.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)
                    ? 1
                    : Distance(candidate.ToLowerInvariant(), name.ToLowerInvariant()) + 1;
            if (score < bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best is not null && bestScore <= Math.Max(2, (name.Length / 3) + 1) ? best : null;
    }

    /// <summary>" Did you mean 'x'?" or nothing.</summary>
    public static string DidYouMean(string name, IEnumerable<string> candidates) =>
        Nearest(name, candidates) is { } nearest ? $" Did you mean '{nearest}'?" : "";

    /// <summary>Edits between two names (insert, delete, replace, or swap two neighbours).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1); // two letters swapped
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
