using System.Globalization;
using System.Text;

namespace MdiFlow.Cli.Output;

/// <summary>
/// Text a person typed or a program printed (evidence, comments, names, reasons, entry names, output tails), made
/// safe to print on a terminal: control characters and characters that reorder text are shown visibly (<c>\n</c>,
/// <c>\e</c>, <c>\u202E</c>), so nobody can clear the screen, move the cursor, or fake a line. JSON output is not affected.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(Unsafe))
        {
            return text ?? "";
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!Unsafe(c))
            {
                sb.Append(c);
                continue;
            }

            sb.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\u001B' => @"\e",
                '\0' => @"\0",
                < '\u0100' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
            });
        }

        return sb.ToString();
    }

    private static bool Unsafe(char c) =>
        char.IsControl(c)
        || c is '\u200E' or '\u200F' or '\u061C' or '\u2028' or '\u2029'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';
}
