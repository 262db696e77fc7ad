using System.Net;
using System.Text;

namespace MdiFlow.Lab.Identity;

/// <summary>The lab issuer's pages: the login form (pick a person, say whether the sign-in used MFA), the form_post hand-back, errors.</summary>
internal static class LoginPage
{
    public static string Render(string action, string requestHandle, AuthorizationRequest request, IReadOnlyList<LabPerson> people, string? error)
    {
        var html = new StringBuilder();
        Open(html, "Sign in to the MdiFlow lab");
        html.Append("<h1>Sign in to the MdiFlow lab</h1>");
        html.Append("<p>").Append(E(request.Client.ClientId)).Append(" asks who you are.");
        if (request.ForceLogin || request.MaxAge is not null)
        {
            html.Append(" It asks you to <strong>sign in again</strong>");
            html.Append(request.MaxAge is { } age ? $" (a sign-in no older than {E(((int)age.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))} seconds)." : ".");
        }

        html.Append("</p>");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" action=\"").Append(E(action)).Append("\">");
        html.Append("<input type=\"hidden\" name=\"request\" value=\"").Append(E(requestHandle)).Append("\">");
        html.Append("<fieldset><legend>Person</legend>");
        foreach (var person in people)
        {
            var chosen = string.Equals(person.UserName, request.LoginHint, StringComparison.OrdinalIgnoreCase) ? " checked" : "";
            html.Append("<label><input type=\"radio\" name=\"person\" value=\"").Append(E(person.UserName)).Append('"').Append(chosen).Append("> ")
                .Append(E(person.DisplayName)).Append(" (").Append(E(person.UserName)).Append("; ").Append(E(GroupsText(person))).Append(")</label><br>");
        }

        html.Append("</fieldset>");
        html.Append("<p><label><input type=\"checkbox\" id=\"mfa\" name=\"mfa\" value=\"true\"> The sign-in used multi-factor authentication (amr: mfa)</label></p>");
        html.Append("<p><button type=\"submit\">Sign in</button></p></form>");
        return Close(html);
    }

    // A person in hundreds of groups (the overage case) would fill the page: name a few and count the rest.
    private static string GroupsText(LabPerson person) => person.Groups.Count <= 5
        ? string.Join(", ", person.Groups)
        : $"{string.Join(", ", person.Groups.Take(3))} and {person.Groups.Count - 3} more groups";

    /// <summary>The response_mode=form_post answer: a form that posts the code to the application, submitted by the page.</summary>
    public static string FormPost(Uri redirectUri, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var html = new StringBuilder();
        Open(html, "Signing in");
        html.Append("<form method=\"post\" action=\"").Append(E(redirectUri.ToString())).Append("\">");
        foreach (var (name, value) in fields)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">");
        }

        html.Append("<noscript><button type=\"submit\">Continue</button></noscript></form>");
        html.Append("<script>document.forms[0].submit();</script>");
        return Close(html);
    }

    public static string Message(string title, string text)
    {
        var html = new StringBuilder();
        Open(html, title);
        html.Append("<h1>").Append(E(title)).Append("</h1><p>").Append(E(text)).Append("</p>");
        return Close(html);
    }

    private static void Open(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(E(title)).Append("</title></head><body>");

    private static string Close(StringBuilder html) => html.Append("</body></html>").ToString();

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
