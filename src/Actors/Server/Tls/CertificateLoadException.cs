namespace ActorHttp.Server.Tls;

/// <summary>A server certificate that cannot be loaded: which file, and why (one of <see cref="CertificateErrorKind"/>).</summary>
public sealed class CertificateLoadException : Exception
{
    /// <summary>Creates the exception; the message reads <c>FILE: reason</c>.</summary>
    public CertificateLoadException(string path, CertificateErrorKind kind, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Kind = kind;
        Reason = reason;
    }

    /// <summary>The file at fault, as named in the settings.</summary>
    public string Path { get; }

    /// <summary>Why it was refused.</summary>
    public CertificateErrorKind Kind { get; }

    /// <summary>The reason in words, without the path.</summary>
    public string Reason { get; }

    /// <summary>True when the password was wrong.</summary>
    public bool IsWrongPassword => Kind == CertificateErrorKind.WrongPassword;
}
