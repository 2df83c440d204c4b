using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XSend.Tests.Fakes;

/// <summary>A test CA and server certificates made in-process with <see cref="CertificateRequest"/>.</summary>
internal static class TestCertificates
{
    public const string Domain = "xsend.test";

    private static readonly Lazy<X509Certificate2> LazyCa = new(CreateCa);
    private static readonly Lazy<X509Certificate2> LazyServer = new(() => Issue(Domain, LazyCa.Value));
    private static readonly Lazy<X509Certificate2> LazyWrongName = new(() => Issue("other.example", LazyCa.Value));
    private static readonly Lazy<X509Certificate2> LazyExpired = new(() => Issue(Domain, LazyCa.Value, DateTimeOffset.UtcNow.AddHours(-1)));
    private static readonly Lazy<X509Certificate2> LazySelfSigned = new(() => Issue(Domain, issuer: null));
    private static readonly Lazy<string> LazyCaPemPath = new(() =>
    {
        string path = Path.Combine(Path.GetTempPath(), $"xsend-test-ca-{Environment.ProcessId}.pem");
        File.WriteAllText(path, LazyCa.Value.ExportCertificatePem());
        return path;
    });

    /// <summary>The test CA (not trusted by the system).</summary>
    public static X509Certificate2 Ca => LazyCa.Value;

    /// <summary>A server certificate for <see cref="Domain"/>, issued by <see cref="Ca"/>.</summary>
    public static X509Certificate2 Server => LazyServer.Value;

    /// <summary>A certificate issued by <see cref="Ca"/> for a different name.</summary>
    public static X509Certificate2 WrongName => LazyWrongName.Value;

    /// <summary>A certificate for <see cref="Domain"/> from <see cref="Ca"/> that expired an hour ago.</summary>
    public static X509Certificate2 Expired => LazyExpired.Value;

    /// <summary>A self-signed certificate for <see cref="Domain"/> (the Openfire default case): untrusted, but pinnable.</summary>
    public static X509Certificate2 SelfSigned => LazySelfSigned.Value;

    /// <summary>A PEM file holding <see cref="Ca"/>, for --ca-file.</summary>
    public static string CaPemPath => LazyCaPemPath.Value;

    public static X509Certificate2Collection TrustedCa => [Ca];

    /// <summary>
    /// A certificate with a subject of the caller's choosing (hostile names, say), issued by
    /// <see cref="Ca"/> or self-signed, with <paramref name="dnsName"/> as its SAN when given.
    /// </summary>
    public static X509Certificate2 WithSubject(X500DistinguishedName subject, string? dnsName, bool selfSigned) =>
        Issue(dnsName, selfSigned ? null : LazyCa.Value, subject: subject);

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=xsend unit-test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using X509Certificate2 ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 Issue(string? dnsName, X509Certificate2? issuer, DateTimeOffset? notAfter = null, X500DistinguishedName? subject = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject ?? new X500DistinguishedName($"CN={dnsName}"), key, HashAlgorithmName.SHA256);
        if (dnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        if (issuer is null)
        {
            using X509Certificate2 self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
            return X509CertificateLoader.LoadPkcs12(self.Export(X509ContentType.Pkcs12), null);
        }
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        // Inside the CA's validity, whenever the leaf is made.
        using X509Certificate2 issued = request.Create(issuer, issuer.NotBefore.AddMinutes(1), notAfter ?? issuer.NotAfter.AddMinutes(-1), serial);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
