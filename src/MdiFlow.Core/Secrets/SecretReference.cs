namespace MdiFlow.Secrets;

/// <summary>
/// A secret passed by reference: <c>env:NAME</c> (an environment variable) or <c>file:PATH</c>
/// (a file's content, trimmed). Only the reference is ever stored; the value is read when a step binds it.
/// </summary>
public static class SecretReference
{
    /// <summary>Whether <paramref name="reference"/> has a supported form.</summary>
    public static bool IsValid(string? reference) =>
        reference is not null &&
        ((reference.StartsWith("env:", StringComparison.Ordinal) && reference.Length > 4) ||
         (reference.StartsWith("file:", StringComparison.Ordinal) && reference.Length > 5));

    /// <summary>Reads the secret's value.</summary>
    /// <exception cref="SecretException">The reference cannot be read; the message never holds the value.</exception>
    public static string Resolve(string name, string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            var variable = reference[4..];
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
                ? value
                : throw new SecretException($"The secret '{name}' comes from the environment variable {variable}, which is not set in this process. Set it, then resume.");
        }

        if (reference.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = reference[5..];
            return Serialization.TextFile.TryRead(path, out var text, out var problem, limit: 64 * 1024)
                ? text.Trim()
                : throw new SecretException($"The secret '{name}' comes from the file '{path}', which cannot be used: {problem}. Restore it, then resume.");
        }

        throw new SecretException($"The secret '{name}' is not given by reference; pass env:NAME or file:PATH, never the value itself.");
    }
}

/// <summary>A secret cannot be read. The message names the secret and its source, never its value.</summary>
public sealed class SecretException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecretException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SecretException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SecretException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
