using System.Text;
using System.Text.Json.Nodes;

namespace MdiFlow.Expressions;

/// <summary>
/// A string value with <c>{{ expression }}</c> bindings. A value that is exactly one binding takes the
/// bound value's JSON type; otherwise the parts are joined as text.
/// </summary>
internal sealed class Template
{
    private readonly IReadOnlyList<object> _parts;

    private Template(IReadOnlyList<object> parts) => _parts = parts;

    public IEnumerable<Expression> Expressions => _parts.OfType<Expression>();

    public static bool HasBindings(string text) => text.Contains("{{", StringComparison.Ordinal);

    /// <exception cref="ExpressionException">A binding does not parse or is not closed.</exception>
    public static Template Parse(string text)
    {
        var parts = new List<object>();
        var pos = 0;
        while (pos < text.Length)
        {
            var open = text.IndexOf("{{", pos, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(text[pos..]);
                break;
            }

            if (open > pos)
            {
                parts.Add(text[pos..open]);
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ExpressionException($"'{{{{' at character {open + 1} is not closed by '}}}}'", open);
            }

            try
            {
                parts.Add(ExpressionParser.Parse(text[(open + 2)..close]));
            }
            catch (ExpressionException ex)
            {
                throw new ExpressionException($"in the binding at character {open + 1}: {ex.Message}", open + 2 + ex.Position);
            }

            pos = close + 2;
        }

        return new Template(parts);
    }

    public JsonNode? Render(BindingScope scope)
    {
        if (_parts is [Expression single])
        {
            return single.Evaluate(scope);
        }

        var sb = new StringBuilder();
        foreach (var part in _parts)
        {
            sb.Append(part is Expression e ? AsText(e.Evaluate(scope)) : (string)part);
        }

        return JsonValue.Create(sb.ToString());
    }

    private static string AsText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue when Truth.AsString(node) is { } s => s,
        _ => node.ToJsonString(),
    };
}

/// <summary>A step's <c>with</c> block with its templates parsed once, bound afresh for every attempt.</summary>
internal sealed class CompiledBindings
{
    private readonly JsonObject _with;
    private readonly Dictionary<string, Template?> _templates;

    private CompiledBindings(JsonObject with, Dictionary<string, Template?> templates)
    {
        _with = with;
        _templates = templates;
        OutputsRead = [.. templates.Values.OfType<Template>()
            .SelectMany(t => t.Expressions.SelectMany(e => e.Paths()))
            .Where(p => p.Root == "steps" && p.Segments is [string, "output", ..])
            .Select(p => (string)p.Segments[0])
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The steps whose output the bindings read.</summary>
    public IReadOnlyList<string> OutputsRead { get; }

    public static CompiledBindings Compile(JsonObject with)
    {
        var templates = new Dictionary<string, Template?>(StringComparer.Ordinal);
        foreach (var (_, text) in Bindings.Templates(with, ""))
        {
            try
            {
                templates.TryAdd(text, Template.Parse(text));
            }
            catch (ExpressionException)
            {
                templates.TryAdd(text, null); // parsed again when bound, to report the error there
            }
        }

        return new CompiledBindings(with, templates);
    }

    /// <summary>A new input object: literal values copied, every string with bindings rendered.</summary>
    /// <exception cref="ExpressionException">A binding does not parse or cannot be evaluated.</exception>
    public JsonObject Bind(BindingScope scope) =>
        _templates.Count == 0 ? (_with.Count == 0 ? [] : (JsonObject)_with.DeepClone()) : (JsonObject)BindNode(_with, scope)!;

    private JsonNode? BindNode(JsonNode? node, BindingScope scope) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, BindNode(p.Value, scope)))),
        JsonArray a => new JsonArray([.. a.Select(e => BindNode(e, scope))]),
        JsonValue v when Truth.AsString(v) is { } s && _templates.TryGetValue(s, out var template) => (template ?? Template.Parse(s)).Render(scope),
        _ => node?.DeepClone(),
    };
}

/// <summary>Binds a step's <c>with</c> block: every string with bindings is rendered, recursively.</summary>
internal static class Bindings
{
    public static JsonObject Bind(JsonObject with, BindingScope scope) => (JsonObject)BindNode(with, scope)!;

    /// <summary>Every template string in a <c>with</c> block, with its JSON path below the block.</summary>
    public static IEnumerable<(string Path, string Text)> Templates(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    foreach (var t in Templates(value, $"{path}.{name}"))
                    {
                        yield return t;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var t in Templates(a[i], $"{path}[{i}]"))
                    {
                        yield return t;
                    }
                }

                break;
            case JsonValue v when Truth.AsString(v) is { } s && Template.HasBindings(s):
                yield return (path, s);
                break;
        }
    }

    private static JsonNode? BindNode(JsonNode? node, BindingScope scope) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, BindNode(p.Value, scope)))),
        JsonArray a => new JsonArray([.. a.Select(e => BindNode(e, scope))]),
        JsonValue v when Truth.AsString(v) is { } s && Template.HasBindings(s) => Template.Parse(s).Render(scope),
        _ => node?.DeepClone(),
    };
}
