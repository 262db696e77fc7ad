namespace MdiFlow.Cli.Hosting;

/// <summary>Words of a printed command, quoted so that pasting the command into a shell gives them back unchanged.</summary>
internal static class ShellText
{
    /// <summary>
    /// <paramref name="word"/> as is when it has nothing a shell would split or expand, else in double quotes (which
    /// both POSIX shells and PowerShell read), with any <c>"</c>, <c>$</c> and <c>`</c> (and, off Windows, <c>\</c>) escaped.
    /// </summary>
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '+' or '%' || (c == '\\' && OperatingSystem.IsWindows())))
        {
            return word;
        }

        var escaped = new System.Text.StringBuilder(word.Length + 2).Append('"');
        foreach (var c in word)
        {
            if (c is '"' or '$' or '`' || (c == '\\' && !OperatingSystem.IsWindows()))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.Append('"').ToString();
    }
}
