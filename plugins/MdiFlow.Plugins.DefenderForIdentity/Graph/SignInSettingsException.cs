using Azure.Identity;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>Sign-in settings that cannot work: what is wrong and the fix, each a clause for one sentence.</summary>
internal sealed class SignInSettingsException(string problem, string fix) : CredentialUnavailableException(problem)
{
    public string Problem { get; } = problem;

    public string Fix { get; } = fix;
}
