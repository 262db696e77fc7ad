using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MdiFlow.Lab.Tests.Identity;

/// <summary>
/// What a browser does in a sign-in, done with HttpClient: follows redirects with one cookie jar, fills the lab login
/// page, and submits the form_post page the issuer answers.
/// </summary>
internal sealed partial class Browserless : IDisposable
{
    private readonly HttpClient _client;

    public Browserless(bool followRedirects = true)
    {
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = followRedirects, UseCookies = true });
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client => _client;

    /// <summary>Opens a URL; returns the final response (a login page, a form_post page, or the application's answer).</summary>
    public Task<HttpResponseMessage> OpenAsync(Uri url) => _client.GetAsync(url);

    public static bool IsLoginPage(string html) => html.Contains("Sign in to the MdiFlow lab", StringComparison.Ordinal);

    /// <summary>Signs in at the lab login page <paramref name="page"/> and follows the issuer back to the application.</summary>
    public async Task<HttpResponseMessage> SignInAsync(HttpResponseMessage page, string person, bool mfa)
    {
        var html = await page.Content.ReadAsStringAsync();
        IsLoginPage(html).Should().BeTrue($"the issuer should show its login page, not: {html}");
        var fields = new Dictionary<string, string> { ["request"] = Hidden(html, "request"), ["person"] = person };
        if (mfa)
        {
            fields["mfa"] = "true";
        }

        var answer = await _client.PostAsync(page.RequestMessage!.RequestUri, new FormUrlEncodedContent(fields));
        return await SubmitFormPostAsync(answer);
    }

    /// <summary>When <paramref name="response"/> is the issuer's form_post page, posts it as the page's script would.</summary>
    public async Task<HttpResponseMessage> SubmitFormPostAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var action = FormAction().Match(html);
        if (!html.Contains("document.forms[0].submit()", StringComparison.Ordinal) || !action.Success)
        {
            return response;
        }

        var fields = HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return await _client.PostAsync(WebUtility.HtmlDecode(action.Groups["action"].Value), new FormUrlEncodedContent(fields));
    }

    public static async Task<JsonObject> ClaimsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string Hidden(string html, string name) =>
        WebUtility.HtmlDecode(HiddenInput().Matches(html).Single(m => m.Groups["name"].Value == name).Groups["value"].Value);

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]*)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]*)\">")]
    private static partial Regex FormAction();

    public void Dispose() => _client.Dispose();
}
