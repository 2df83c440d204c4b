using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XSend.Xmpp.Tls;

/// <summary>Certificate pins in the form xsend prints and accepts.</summary>
public static class CertificatePin
{
    /// <summary>The base64 SHA-256 hash of the certificate's SubjectPublicKeyInfo, as <c>sha256:…</c> (RFC 7469 style).</summary>
    public static string Compute(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return "sha256:" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
    }
}
