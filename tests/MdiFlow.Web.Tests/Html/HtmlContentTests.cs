using MdiFlow.Web.Html;
using static MdiFlow.Web.Html.Markup;

namespace MdiFlow.Web.Tests.Html;

public sealed class HtmlContentTests
{
    [Fact]
    public void Every_interpolated_value_is_encoded_and_only_the_literal_parts_are_markup()
    {
        var value = "<script>alert(\"x\")</script> & 'quotes'";

        var html = H($"<td title=\"{value}\">{value}</td>").ToString();

        html.Should().StartWith("<td title=\"").And.EndWith("</td>");
        html.Should().NotContain("<script>").And.NotContain("\"x\"").And.NotContain("'quotes'");
        html.Should().Contain("&lt;script&gt;").And.Contain("&amp;");
    }

    [Fact]
    public void Nested_content_is_kept_as_markup_once_and_a_list_must_be_joined_explicitly()
    {
        var inner = H($"<b>{"a<b"}</b>");
        var items = new[] { "x<", "y>" };

        var html = H($"<p>{inner}{HtmlContent.Each(items, i => H($"<i>{i}</i>"))}</p>").ToString();

        html.Should().Be("<p><b>a&lt;b</b><i>x&lt;</i><i>y&gt;</i></p>");
    }

    [Fact]
    public void Numbers_and_times_are_written_the_same_whatever_the_culture()
    {
        var html = H($"{1234.5}|{new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero):yyyy-MM-dd HH:mm}").ToString();

        html.Should().Be("1234.5|2026-01-02 03:04");
    }
}
