using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace MdiFlow.Lab.Identity;

/// <summary>
/// <c>/oauth2/v2.0/authorize</c>: the authorization-code flow with PKCE (S256 only). A valid issuer session signs the
/// person in without a page, unless <c>prompt=login</c> or <c>max_age</c> asks for a fresh sign-in.
/// </summary>
internal sealed class AuthorizeEndpoint(LabIdentityOptions options, ClientRegistry clients, SignInState state, string sessionCookiePath)
{
    public const string SessionCookie = "mdiflow-lab-idp-session";

    public async Task HandleAsync(HttpContext http)
    {
        if (HttpMethods.IsPost(http.Request.Method))
        {
            await SignInAsync(http).ConfigureAwait(false);
            return;
        }

        var query = http.Request.Query;
        var client = clients.Find(query["client_id"]);
        if (client is null)
        {
            await PageAsync(http, 400, LoginPage.Message("Sign-in failed", $"AADSTS700016: Application with identifier '{query["client_id"]}' was not found in the lab directory.")).ConfigureAwait(false);
            return;
        }

        // An unregistered redirect URI is never redirected to: the error is shown here, as the protocol requires.
        if (!Uri.TryCreate(query["redirect_uri"], UriKind.Absolute, out var redirect) || !client.RedirectUris.Contains(redirect))
        {
            await PageAsync(http, 400, LoginPage.Message("Sign-in failed", $"AADSTS50011: The redirect URI '{query["redirect_uri"]}' does not match the redirect URIs configured for the application '{client.ClientId}'.")).ConfigureAwait(false);
            return;
        }

        var responseMode = query["response_mode"].ToString() is { Length: > 0 } mode ? mode : "query";
        var stateValue = query["state"].ToString() is { Length: > 0 } s ? s : null;
        Task FailAsync(string error, string description) => RedirectAsync(http, redirect, responseMode == "form_post" ? "form_post" : "query", stateValue, [new("error", error), new("error_description", description)]);
        if (Check(query) is { } problem)
        {
            await FailAsync(problem.Error, problem.Description).ConfigureAwait(false);
            return;
        }

        TimeSpan? maxAge = int.TryParse(query["max_age"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
        var prompt = query["prompt"].ToString();
        var request = new AuthorizationRequest(client, redirect, query["scope"]!, stateValue, query["nonce"].ToString() is { Length: > 0 } n ? n : null,
            query["code_challenge"]!, responseMode, maxAge, prompt == "login", query["login_hint"].ToString() is { Length: > 0 } hint ? hint : null);

        var session = state.Session(http.Request.Cookies[SessionCookie]);
        var fresh = session is not null && (maxAge is null || options.TimeProvider.GetUtcNow() - session.AuthTime <= maxAge);
        if (session is not null && fresh && !request.ForceLogin && prompt is not ("select_account" or "consent"))
        {
            await CompleteAsync(http, request, session).ConfigureAwait(false);
            return;
        }

        if (prompt == "none")
        {
            await FailAsync("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in (or the sign-in is older than max_age).").ConfigureAwait(false);
            return;
        }

        var handle = state.Hold(request);
        await PageAsync(http, 200, LoginPage.Render(http.Request.Path, handle, request, options.People, error: null)).ConfigureAwait(false);
    }

    private static (string Error, string Description)? Check(IQueryCollection query)
    {
        if (query["response_type"] != "code")
        {
            return ("unsupported_response_type", "AADSTS700054: response_type must be 'code' (the authorization-code flow).");
        }

        if (!query["scope"].ToString().Split(' ').Contains("openid"))
        {
            return ("invalid_scope", "AADSTS70011: The scope must include 'openid'.");
        }

        if (query["code_challenge"].ToString().Length == 0 || query["code_challenge_method"] != "S256")
        {
            return ("invalid_request", "AADSTS9002325: Proof Key for Code Exchange (PKCE) is required: send code_challenge with code_challenge_method=S256.");
        }

        return query["response_mode"].ToString() is "" or "query" or "form_post"
            ? null
            : ("invalid_request", $"AADSTS900144: response_mode '{query["response_mode"]}' is not supported; use query or form_post.");
    }

    private async Task SignInAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var handle = form["request"].ToString();
        var request = state.Peek(handle);
        if (request is null)
        {
            await PageAsync(http, 400, LoginPage.Message("Sign-in expired", "This sign-in page is no longer valid. Go back to the application and sign in again.")).ConfigureAwait(false);
            return;
        }

        var person = options.People.FirstOrDefault(p => string.Equals(p.UserName, form["person"], StringComparison.OrdinalIgnoreCase));
        if (person is null)
        {
            await PageAsync(http, 200, LoginPage.Render(http.Request.Path, handle, request, options.People, "Choose who signs in.")).ConfigureAwait(false);
            return;
        }

        state.Release(handle);
        var (id, session) = state.SignIn(person, form["mfa"] == "true");
        http.Response.Cookies.Append(SessionCookie, id, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = sessionCookiePath, IsEssential = true });
        await CompleteAsync(http, request, session).ConfigureAwait(false);
    }

    private Task CompleteAsync(HttpContext http, AuthorizationRequest request, SignInSession session)
    {
        var code = state.IssueCode(request, session);
        return RedirectAsync(http, request.RedirectUri, request.ResponseMode, request.State, [new("code", code)]);
    }

    private static Task RedirectAsync(HttpContext http, Uri redirect, string responseMode, string? stateValue, List<KeyValuePair<string, string>> fields)
    {
        if (stateValue is not null)
        {
            fields.Add(new("state", stateValue));
        }

        http.Response.Headers.CacheControl = "no-store";
        if (responseMode == "form_post")
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/html; charset=utf-8";
            return http.Response.WriteAsync(LoginPage.FormPost(redirect, fields), http.RequestAborted);
        }

        var target = redirect.ToString();
        foreach (var (name, value) in fields)
        {
            target = QueryHelpers.AddQueryString(target, name, value);
        }

        http.Response.Redirect(target);
        return Task.CompletedTask;
    }

    private static Task PageAsync(HttpContext http, int status, string html)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(html, http.RequestAborted);
    }
}
