using System.Text.Json.Nodes;

namespace MdiFlow.Expressions;

/// <summary>
/// A parsed binding or condition. The grammar is small and closed: literals, paths
/// (<c>inputs.x</c>, <c>steps.s.output.y[0]</c>), <c>== != &lt; &lt;= &gt; &gt;= &amp;&amp; || ! in</c>,
/// parentheses and array literals. Nothing is compiled or invoked.
/// </summary>
internal abstract record Expression
{
    public abstract JsonNode? Evaluate(BindingScope scope);

    /// <summary>Every path the expression reads, for validation.</summary>
    public abstract IEnumerable<PathExpression> Paths();
}

internal sealed record LiteralExpression(JsonNode? Value) : Expression
{
    public override JsonNode? Evaluate(BindingScope scope) => Value?.DeepClone();

    public override IEnumerable<PathExpression> Paths() => [];
}

internal sealed record ArrayExpression(IReadOnlyList<Expression> Items) : Expression
{
    public override JsonNode? Evaluate(BindingScope scope) => new JsonArray([.. Items.Select(i => i.Evaluate(scope))]);

    public override IEnumerable<PathExpression> Paths() => Items.SelectMany(i => i.Paths());
}

internal sealed record NotExpression(Expression Operand) : Expression
{
    public override JsonNode? Evaluate(BindingScope scope) => JsonValue.Create(!Truth.IsTrue(Operand.Evaluate(scope)));

    public override IEnumerable<PathExpression> Paths() => Operand.Paths();
}

internal sealed record BinaryExpression(string Operator, Expression Left, Expression Right) : Expression
{
    public override JsonNode? Evaluate(BindingScope scope)
    {
        switch (Operator)
        {
            case "&&":
                return JsonValue.Create(Truth.IsTrue(Left.Evaluate(scope)) && Truth.IsTrue(Right.Evaluate(scope)));
            case "||":
                return JsonValue.Create(Truth.IsTrue(Left.Evaluate(scope)) || Truth.IsTrue(Right.Evaluate(scope)));
        }

        var left = Left.Evaluate(scope);
        var right = Right.Evaluate(scope);
        return JsonValue.Create(Operator switch
        {
            "==" => Truth.AreEqual(left, right),
            "!=" => !Truth.AreEqual(left, right),
            "<" => Truth.Compare(left, right) is < 0,
            "<=" => Truth.Compare(left, right) is <= 0,
            ">" => Truth.Compare(left, right) is > 0,
            ">=" => Truth.Compare(left, right) is >= 0,
            "in" => Truth.Contains(right, left),
            _ => throw new InvalidOperationException($"Unknown operator '{Operator}'."),
        });
    }

    public override IEnumerable<PathExpression> Paths() => Left.Paths().Concat(Right.Paths());
}

/// <summary>A path into the binding scope: a root (<c>inputs</c>, <c>steps</c>, <c>secrets</c>, <c>instance</c>) and segments.</summary>
internal sealed record PathExpression(string Root, IReadOnlyList<object> Segments, int Position) : Expression
{
    public override JsonNode? Evaluate(BindingScope scope) => scope.Resolve(this);

    public override IEnumerable<PathExpression> Paths() => [this];

    public override string ToString() =>
        Root + string.Concat(Segments.Select(s => s is int i ? $"[{i}]" : "." + s));
}
