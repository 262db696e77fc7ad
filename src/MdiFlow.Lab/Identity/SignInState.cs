using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MdiFlow.Lab.Identity;

/// <summary>An authorization request as the issuer received it, kept while the person signs in.</summary>
internal sealed record AuthorizationRequest(
    LabClient Client,
    Uri RedirectUri,
    string Scope,
    string? State,
    string? Nonce,
    string CodeChallenge,
    string ResponseMode,
    TimeSpan? MaxAge,
    bool ForceLogin,
    string? LoginHint);

/// <summary>A completed sign-in: who, when (<c>auth_time</c>) and how (<c>amr</c>).</summary>
internal sealed record SignInSession(LabPerson Person, DateTimeOffset AuthTime, IReadOnlyList<string> Methods);

internal sealed record IssuedCode(AuthorizationRequest Request, SignInSession SignIn, DateTimeOffset ExpiresAt);

/// <summary>
/// The issuer's memory: requests waiting at the login page, sign-in sessions (the issuer's own cookie, for single
/// sign-on), and authorization codes, each usable once and for five minutes.
/// </summary>
internal sealed class SignInState(TimeProvider time)
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LoginPageLifetime = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, (AuthorizationRequest Request, DateTimeOffset ExpiresAt)> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SignInSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<LabSignInRecord> _signIns = new();

    public IReadOnlyList<LabSignInRecord> SignIns => [.. _signIns];

    public string Hold(AuthorizationRequest request)
    {
        var id = NewHandle();
        _pending[id] = (request, time.GetUtcNow() + LoginPageLifetime);
        return id;
    }

    public AuthorizationRequest? Release(string id) =>
        _pending.TryRemove(id, out var held) && held.ExpiresAt > time.GetUtcNow() ? held.Request : null;

    public AuthorizationRequest? Peek(string id) =>
        _pending.TryGetValue(id, out var held) && held.ExpiresAt > time.GetUtcNow() ? held.Request : null;

    public (string Id, SignInSession Session) SignIn(LabPerson person, bool mfa)
    {
        var session = new SignInSession(person, time.GetUtcNow(), mfa ? ["pwd", "mfa"] : ["pwd"]);
        var id = NewHandle();
        _sessions[id] = session;
        _signIns.Enqueue(new LabSignInRecord(person.UserName, session.AuthTime, mfa));
        return (id, session);
    }

    public SignInSession? Session(string? id) => id is not null && _sessions.TryGetValue(id, out var session) ? session : null;

    public void SignOut(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }

    public string IssueCode(AuthorizationRequest request, SignInSession session)
    {
        var code = NewHandle();
        _codes[code] = new IssuedCode(request, session, time.GetUtcNow() + CodeLifetime);
        return code;
    }

    /// <summary>Takes a code out: a second redemption finds nothing, as the protocol requires.</summary>
    public IssuedCode? Redeem(string code) =>
        _codes.TryRemove(code, out var issued) && issued.ExpiresAt > time.GetUtcNow() ? issued : null;

    private static string NewHandle() => SigningKey.Base64Url(RandomNumberGenerator.GetBytes(32));
}

/// <summary>A person signed in at the lab issuer's login page.</summary>
/// <param name="UserName">Who.</param>
/// <param name="At">When (the <c>auth_time</c> of the tokens that follow).</param>
/// <param name="Mfa">Whether they said the sign-in used multi-factor authentication.</param>
public sealed record LabSignInRecord(string UserName, DateTimeOffset At, bool Mfa);
