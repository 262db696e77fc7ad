using static MdiFlow.Web.Html.Markup;

namespace MdiFlow.Web.Html;

/// <summary>Who is signed in, and the anti-forgery token of the page's forms (the sign-out form is on every page).</summary>
internal sealed record PageChrome(string Person, string Token, string FieldName);

/// <summary>The page shell: header with the signed-in person and sign-out, the content, no script.</summary>
internal static class Layout
{
    public static HtmlContent Page(string title, PageChrome? chrome, HtmlContent content) => H($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{title} · MdiFlow change board</title>
        <link rel="stylesheet" href="/assets/site.css">
        </head>
        <body>
        <header><a href="/">MdiFlow change board</a>{(chrome is null ? HtmlContent.Empty : H($"""<form class="who" method="post" action="/signout">Signed in as <strong id="person">{chrome.Person}</strong> <input type="hidden" name="{chrome.FieldName}" value="{chrome.Token}"><button type="submit" class="link">Sign out</button></form>"""))}</header>
        <main>
        {content}
        </main>
        </body>
        </html>
        """);

    public static HtmlContent Badge(string text) => H($"""<span class="badge {text}">{text}</span>""");

    /// <summary>A time as text (UTC, to the minute) with the machine-readable value.</summary>
    public static HtmlContent Time(DateTimeOffset? at) =>
        at is { } value ? H($"""<time datetime="{value.UtcDateTime:O}">{value.UtcDateTime:yyyy-MM-dd HH:mm} UTC</time>""") : HtmlContent.Empty;

    /// <summary>A duration in words, to the minute: "2 d 3 h", "47 min".</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = -span;
        }

        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{Math.Max(0, (int)span.TotalMinutes)} min";
    }
}
