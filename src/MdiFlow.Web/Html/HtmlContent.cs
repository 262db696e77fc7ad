using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace MdiFlow.Web.Html;

/// <summary>
/// A piece of HTML. Built only from interpolated strings whose literal parts are the markup and whose holes are
/// HTML-encoded (attribute-safe), unless a hole is itself <see cref="HtmlContent"/>: a value can never become markup.
/// </summary>
internal sealed class HtmlContent
{
    private readonly string _html;

    private HtmlContent(string html) => _html = html;

    public static HtmlContent Empty { get; } = new("");

    public static HtmlContent Of(ref HtmlBuilder builder) => new(builder.ToStringAndClear());

    /// <summary>Joins pieces of HTML.</summary>
    public static HtmlContent Join(IEnumerable<HtmlContent> parts) => new(string.Concat(parts.Select(p => p._html)));

    /// <summary>One piece of HTML per item, joined.</summary>
    public static HtmlContent Each<T>(IEnumerable<T> items, Func<T, HtmlContent> render) => Join(items.Select(render));

    /// <summary>Plain text, encoded.</summary>
    public static HtmlContent Text(string? text) => new(HtmlEncoder.Default.Encode(text ?? ""));

    public override string ToString() => _html;
}

/// <summary>Interpolated-string handler for <see cref="HtmlContent"/>: literals are markup, holes are encoded.</summary>
[InterpolatedStringHandler]
internal ref struct HtmlBuilder
{
    private readonly StringBuilder _html;

    public HtmlBuilder(int literalLength, int formattedCount) => _html = new StringBuilder(literalLength + (formattedCount * 16));

    public readonly void AppendLiteral(string literal) => _html.Append(literal);

    public readonly void AppendFormatted(HtmlContent? content) => _html.Append(content?.ToString());

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public readonly void AppendFormatted<T>(T value, string? format)
    {
        var text = value switch
        {
            null => "",
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        _html.Append(HtmlEncoder.Default.Encode(text));
    }

    public readonly string ToStringAndClear()
    {
        var text = _html.ToString();
        _html.Clear();
        return text;
    }
}

/// <summary>Shorthand: <c>H($"&lt;td&gt;{value}&lt;/td&gt;")</c>.</summary>
internal static class Markup
{
    public static HtmlContent H(ref HtmlBuilder builder) => HtmlContent.Of(ref builder);
}
