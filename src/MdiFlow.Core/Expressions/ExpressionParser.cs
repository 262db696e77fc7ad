using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MdiFlow.Expressions;

/// <summary>A recursive-descent parser for the expression grammar; it builds data, never code.</summary>
internal sealed class ExpressionParser
{
    /// <summary>The longest expression text accepted.</summary>
    public const int MaxLength = 4096;

    /// <summary>How deeply parentheses, arrays and '!' may nest.</summary>
    public const int MaxDepth = 32;

    /// <summary>How many operators one expression may hold (so evaluating it never recurses deeply).</summary>
    public const int MaxOperators = 256;

    private static readonly string[] Comparisons = ["==", "!=", "<=", ">=", "<", ">"];
    private readonly string _text;
    private int _pos;
    private int _depth;
    private int _operators;

    private ExpressionParser(string text) => _text = text;

    /// <summary>Parses a whole expression.</summary>
    /// <exception cref="ExpressionException">It does not parse; the message says where.</exception>
    public static Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new ExpressionException($"the expression is {text.Length:N0} characters long, more than the {MaxLength:N0} allowed", 0);
        }

        var parser = new ExpressionParser(text);
        parser.SkipSpace();
        if (parser.AtEnd)
        {
            throw new ExpressionException("the expression is empty", 0);
        }

        var expression = parser.Or();
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw parser.Fail($"unexpected '{parser.Rest(12)}'");
        }

        return expression;
    }

    private bool AtEnd => _pos >= _text.Length;

    private Expression Or()
    {
        Enter();
        var left = And();
        while (Accept("||"))
        {
            Count();
            left = new BinaryExpression("||", left, And());
        }

        _depth--;
        return left;
    }

    private Expression And()
    {
        var left = Unary();
        while (Accept("&&"))
        {
            Count();
            left = new BinaryExpression("&&", left, Unary());
        }

        return left;
    }

    private Expression Unary()
    {
        SkipSpace();
        if (Peek('!') && !PeekAt(1, '='))
        {
            _pos++;
            Enter();
            Count();
            var operand = new NotExpression(Unary());
            _depth--;
            return operand;
        }

        return Comparison();
    }

    /// <summary>One level deeper: parentheses, an array or '!'.</summary>
    private void Enter()
    {
        if (++_depth > MaxDepth)
        {
            throw Fail($"the expression nests deeper than {MaxDepth} levels");
        }
    }

    private void Count()
    {
        if (++_operators > MaxOperators)
        {
            throw Fail($"the expression has more than {MaxOperators} operators");
        }
    }

    private Expression Comparison()
    {
        var left = Primary();
        SkipSpace();
        foreach (var op in Comparisons)
        {
            if (Accept(op))
            {
                Count();
                return new BinaryExpression(op, left, Primary());
            }
        }

        if (AcceptKeyword("in"))
        {
            Count();
            return new BinaryExpression("in", left, Primary());
        }

        return left;
    }

    private Expression Primary()
    {
        SkipSpace();
        if (AtEnd)
        {
            throw Fail("the expression ends where a value was expected");
        }

        var c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = Or();
            Expect(')');
            return inner;
        }

        if (c == '[')
        {
            _pos++;
            Enter();
            var items = new List<Expression>();
            SkipSpace();
            if (!Accept("]"))
            {
                do
                {
                    items.Add(Or());
                }
                while (Accept(","));
                Expect(']');
            }

            _depth--;
            return new ArrayExpression(items);
        }

        if (c is '\'' or '"')
        {
            return new LiteralExpression(JsonValue.Create(StringLiteral()));
        }

        if (char.IsAsciiDigit(c) || (c == '-' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
        {
            return new LiteralExpression(Number());
        }

        if (IsIdentifierStart(c))
        {
            var start = _pos;
            var name = Identifier();
            switch (name)
            {
                case "true":
                    return new LiteralExpression(JsonValue.Create(true));
                case "false":
                    return new LiteralExpression(JsonValue.Create(false));
                case "null":
                    return new LiteralExpression(null);
            }

            return Path(name, start);
        }

        throw Fail($"unexpected '{Rest(12)}'");
    }

    private PathExpression Path(string root, int start)
    {
        var segments = new List<object>();
        while (!AtEnd)
        {
            if (_text[_pos] == '.')
            {
                _pos++;
                if (AtEnd || !IsIdentifierStart(_text[_pos]))
                {
                    throw Fail("a name must follow '.'");
                }

                segments.Add(Identifier());
            }
            else if (_text[_pos] == '[')
            {
                _pos++;
                SkipSpace();
                if (!AtEnd && _text[_pos] is '\'' or '"')
                {
                    segments.Add(StringLiteral());
                }
                else
                {
                    var digits = _pos;
                    while (!AtEnd && char.IsAsciiDigit(_text[_pos]))
                    {
                        _pos++;
                    }

                    if (digits == _pos)
                    {
                        throw Fail("an index must be a whole number or a quoted name");
                    }

                    segments.Add(int.Parse(_text.AsSpan(digits, _pos - digits), CultureInfo.InvariantCulture));
                }

                Expect(']');
            }
            else
            {
                break;
            }
        }

        return new PathExpression(root, segments, start);
    }

    private JsonNode Number()
    {
        var start = _pos;
        if (_text[_pos] == '-')
        {
            _pos++;
        }

        while (!AtEnd && (char.IsAsciiDigit(_text[_pos]) || _text[_pos] == '.'))
        {
            _pos++;
        }

        var span = _text.AsSpan(start, _pos - start);
        return long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            ? JsonValue.Create(l)
            : double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d)
                : throw Fail($"'{span}' is not a number");
    }

    private string StringLiteral()
    {
        var quote = _text[_pos++];
        var sb = new StringBuilder();
        while (!AtEnd && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }

            sb.Append(_text[_pos++]);
        }

        if (AtEnd)
        {
            throw Fail("a string is not closed");
        }

        _pos++;
        return sb.ToString();
    }

    private string Identifier()
    {
        var start = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '-'))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0)
        {
            _pos += token.Length;
            return true;
        }

        return false;
    }

    private bool AcceptKeyword(string keyword)
    {
        SkipSpace();
        var end = _pos + keyword.Length;
        if (string.CompareOrdinal(_text, _pos, keyword, 0, keyword.Length) == 0 &&
            (end >= _text.Length || !char.IsAsciiLetterOrDigit(_text[end])))
        {
            _pos = end;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (AtEnd || _text[_pos] != c)
        {
            throw Fail(AtEnd ? $"'{c}' expected at the end" : $"'{c}' expected before '{Rest(12)}'");
        }

        _pos++;
    }

    private bool Peek(char c) => !AtEnd && _text[_pos] == c;

    private bool PeekAt(int offset, char c) => _pos + offset < _text.Length && _text[_pos + offset] == c;

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private string Rest(int max) => _text.Length - _pos <= max ? _text[_pos..] : _text.Substring(_pos, max) + "…";

    private ExpressionException Fail(string message) => new($"{message} (at character {_pos + 1})", _pos);
}

/// <summary>An expression that does not parse, or cannot be evaluated.</summary>
internal sealed class ExpressionException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}
