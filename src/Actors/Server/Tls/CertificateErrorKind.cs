namespace ActorHttp.Server.Tls;

/// <summary>The closed set of reasons a certificate file cannot be served (<see cref="CertificateLoadException.Kind"/>).</summary>
public enum CertificateErrorKind
{
    /// <summary>A file does not exist or cannot be read.</summary>
    Unreadable,

    /// <summary>The password does not open the PKCS#12 file or the encrypted key.</summary>
    WrongPassword,

    /// <summary>The file is neither a PEM certificate chain, a PEM key nor a PKCS#12 file, or is damaged.</summary>
    Malformed,

    /// <summary>No private key was found: none in the PKCS#12 file, or no key file and none in the PEM file.</summary>
    NoPrivateKey,

    /// <summary>The private key is not the certificate's (or is of another algorithm).</summary>
    KeyMismatch,

    /// <summary>The certificate's key algorithm is neither RSA nor ECDSA.</summary>
    UnsupportedKey,
}
