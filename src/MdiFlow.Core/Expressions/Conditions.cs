namespace MdiFlow.Expressions;

/// <summary>Step conditions (<c>when</c>): an expression, optionally wrapped in <c>{{ }}</c>.</summary>
internal static class Conditions
{
    /// <exception cref="ExpressionException">It does not parse.</exception>
    public static Expression Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..^2];
        }

        return ExpressionParser.Parse(trimmed);
    }

    public static bool Evaluate(string text, BindingScope scope) => Truth.IsTrue(Parse(text).Evaluate(scope));
}
