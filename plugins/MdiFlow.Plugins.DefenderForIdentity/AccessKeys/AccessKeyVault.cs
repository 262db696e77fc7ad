using System.Security.Cryptography;
using System.Text.RegularExpressions;
using MdiFlow.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.AccessKeys;

/// <summary>
/// Keeps access keys on this host, protected with ASP.NET Core Data Protection: the key ring lives in
/// <see cref="DefenderForIdentityOptions.KeyVaultDirectory"/> (DPAPI-protected on Windows; a folder only the
/// current user may open elsewhere), and each secret in a <c>NAME.secret</c> file beside it. Workflows hold
/// only the reference <c>vault:NAME</c>, which means nothing on another host or to another account.
/// </summary>
internal sealed partial class AccessKeyVault(IOptions<DefenderForIdentityOptions> options) : IDisposable
{
    public const string Scheme = "vault:";
    private const string Purpose = "MdiFlow.DefenderForIdentity.AccessKey.v1";

    private readonly Lock _gate = new();
    private ServiceProvider? _services;
    private IDataProtector? _protector;

    public string Directory => options.Value.KeyVaultDirectory;

    /// <summary>Whether <paramref name="text"/> is a vault reference.</summary>
    public static bool IsReference(string? text) => text?.StartsWith(Scheme, StringComparison.Ordinal) == true;

    /// <summary>Whether <paramref name="name"/> can name an entry: letters, digits, '.', '_' and '-', up to 100.</summary>
    public static bool IsValidName(string name) => EntryName().IsMatch(name);

    /// <summary>Protects and stores <paramref name="secret"/> under <paramref name="name"/>, replacing an older entry; returns its reference.</summary>
    /// <exception cref="AccessKeyVaultException">The folder cannot be written.</exception>
    public string Store(string name, string secret)
    {
        var path = EntryPath(name);
        var temporary = path + ".tmp";
        try
        {
            var protectedText = Protector().Protect(secret);
            File.Delete(temporary);
            PrivateFile.WriteNew(temporary, protectedText);

            // Replacing in one move: a crash leaves the old entry or the new one, never half of one.
            File.Move(temporary, path, overwrite: true);
            return Scheme + name;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new AccessKeyVaultException($"The vault entry '{name}' could not be written in {Directory}: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the secret a <c>vault:NAME</c> reference names.</summary>
    /// <exception cref="AccessKeyVaultException">No such entry, or it cannot be decrypted here.</exception>
    public string Read(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var name = IsReference(reference) ? reference[Scheme.Length..] : reference;
        if (!IsValidName(name))
        {
            throw new AccessKeyVaultException($"'{reference}' is not a vault reference such as vault:mdi-access-key.");
        }

        var path = EntryPath(name);
        string protectedText;
        try
        {
            protectedText = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AccessKeyVaultException($"The vault in {Directory} has no entry '{name}'. The vault is local to the host and account that ran mdi.getAccessKey: run it on this host, as this account, before this step.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AccessKeyVaultException($"The vault entry '{name}' in {Directory} cannot be read: {ex.Message}", ex);
        }

        try
        {
            return Protector().Unprotect(protectedText);
        }
        catch (CryptographicException ex)
        {
            throw new AccessKeyVaultException($"The vault entry '{name}' in {Directory} cannot be decrypted by this account on this host (its key ring is missing or belongs to another account). Run mdi.getAccessKey again on this host.", ex);
        }
    }

    public void Dispose() => _services?.Dispose();

    private string EntryPath(string name) => Path.Combine(Directory, name + ".secret");

    private IDataProtector Protector()
    {
        lock (_gate)
        {
            if (_protector is not null)
            {
                return _protector;
            }

            var folder = PrivateFile.CreateDirectory(Directory);

            // A private container, so that the host's own Data Protection settings (if any) are neither used nor changed.
            var services = new ServiceCollection();
            var protection = services.AddDataProtection().SetApplicationName("MdiFlow.DefenderForIdentity").PersistKeysToFileSystem(folder);
            if (OperatingSystem.IsWindows())
            {
                protection.ProtectKeysWithDpapi();
            }

            _services = services.BuildServiceProvider();
            _protector = _services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
            return _protector;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex EntryName();
}
