namespace MdiFlow.Lab.StandIn;

/// <summary>
/// The sensor setup's command line as Microsoft documents it: <c>/quiet</c> (and burn's <c>/passive</c>,
/// <c>/norestart</c>) plus <c>NAME=VALUE</c> parameters with no leading slash. Anything else is
/// "Option X is unknown", the setup's own words.
/// </summary>
internal sealed class SetupSwitches
{
    private static readonly string[] Flags = ["/quiet", "/passive", "/norestart", "-quiet", "-passive", "-norestart"];
    private static readonly string[] Parameters =
        ["NetFrameworkCommandLineArguments", "AccessKey", "AccessKeyFile", "InstallationPath", "LogsPath", "DelayedUpdate", "ProxyUrl", "ProxyUserName", "ProxyUserPassword"];

    private static readonly string[] Secret = ["AccessKey", "ProxyUserPassword"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];
    private readonly List<string> _masked = [];

    private SetupSwitches()
    {
    }

    public bool Quiet { get; private set; }

    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The command line with the values of secret parameters replaced, fit for a log.</summary>
    public string MaskedCommandLine => string.Join(' ', _masked);

    public string? AccessKey => Value("AccessKey");

    public string? AccessKeyFile => Value("AccessKeyFile");

    public string? InstallationPath => Value("InstallationPath");

    public string? LogsPath => Value("LogsPath");

    public bool DelayedUpdate => string.Equals(Value("DelayedUpdate"), "true", StringComparison.OrdinalIgnoreCase);

    public string? ProxyUrl => Value("ProxyUrl");

    public string? ProxyUserName => Value("ProxyUserName");

    public string? ProxyUserPassword => Value("ProxyUserPassword");

    public string? NetFrameworkCommandLineArguments => Value("NetFrameworkCommandLineArguments");

    public static SetupSwitches Parse(IEnumerable<string> arguments)
    {
        var switches = new SetupSwitches();
        foreach (var argument in arguments)
        {
            switches.Read(argument);
        }

        switches.CheckValues();
        return switches;
    }

    private string? Value(string name) => _values.TryGetValue(name, out var value) ? value : null;

    private void Read(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? argument : argument[..equals];
        _masked.Add(equals >= 0 && Secret.Contains(name) ? name + "=*****" : argument);
        if (Flags.Contains(argument, StringComparer.OrdinalIgnoreCase))
        {
            Quiet |= argument.EndsWith("quiet", StringComparison.OrdinalIgnoreCase);
            return;
        }

        if (equals < 0 || !Parameters.Contains(name))
        {
            _problems.Add($"Option {name} is unknown");
            return;
        }

        // Windows strips the quotes of NAME="VALUE" when it splits a command line; an argument list keeps them.
        var value = argument[(equals + 1)..];
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        if (value.Length == 0)
        {
            _problems.Add($"Option {name} has no value.");
            return;
        }

        _values[name] = value;
    }

    private void CheckValues()
    {
        if (Value("DelayedUpdate") is { } delayed && !bool.TryParse(delayed, out _))
        {
            _problems.Add($"Option DelayedUpdate must be true or false, not '{delayed}'.");
        }

        if (ProxyUrl is { } proxy && !(Uri.TryCreate(proxy, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            _problems.Add($"Option ProxyUrl must be an absolute http:// or https:// URL, not '{proxy}'.");
        }

        if ((ProxyUserName is null) != (ProxyUserPassword is null))
        {
            _problems.Add("Options ProxyUserName and ProxyUserPassword go together.");
        }

        if ((ProxyUserName is not null) && ProxyUrl is null)
        {
            _problems.Add("Option ProxyUserName needs ProxyUrl.");
        }
    }
}
