using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Tls;

/// <summary>
/// Decides whether to trust the server's certificate: it must name the JID's domain
/// (RFC 6125 DNS-ID, as RFC 7590 §3.2 requires for XMPP) and chain to a system root or to
/// one of the extra trusted CAs. Remembers why it refused, for the error message.
/// </summary>
internal sealed class CertificateVerifier(string domain, X509Certificate2Collection? extraTrustedCertificates)
{
    /// <summary>Why the last validation failed, or <see langword="null"/>.</summary>
    public XmppTlsException? Failure { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Failure = null;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            Failure = new XmppTlsException(TlsFailure.InvalidCertificate, "TLS failed: the server sent no certificate");
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        string pin = SpkiPin(leaf);
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            string names = DescribeNames(leaf);
            Failure = new XmppTlsException(TlsFailure.NameMismatch,
                $"TLS failed: the server's certificate is for {names}, not {domain} ({pin})");
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            if (extraTrustedCertificates is { Count: > 0 } && ChainsToExtraRoot(leaf, chain))
                return true;
            Failure = DescribeChainFailure(leaf, chain, pin);
            return false;
        }
        return errors == SslPolicyErrors.None;
    }

    private bool ChainsToExtraRoot(X509Certificate2 leaf, X509Chain? serverChain)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(extraTrustedCertificates!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (serverChain is not null)
        {
            // Intermediates the server sent.
            foreach (X509ChainElement element in serverChain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return custom.Build(leaf);
    }

    private XmppTlsException DescribeChainFailure(X509Certificate2 leaf, X509Chain? chain, string pin)
    {
        X509ChainStatusFlags flags = X509ChainStatusFlags.NoError;
        if (chain is not null)
        {
            foreach (X509ChainStatus status in chain.ChainStatus)
                flags |= status.Status;
        }

        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            string when = DateTime.Now < leaf.NotBefore
                ? $"is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
                : $"expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
            return new XmppTlsException(TlsFailure.InvalidCertificate, $"TLS failed: the server's certificate {when} ({pin})");
        }
        string hint = extraTrustedCertificates is { Count: > 0 } ? "" : "; trust its CA with --ca-file";
        return new XmppTlsException(TlsFailure.Untrusted,
            $"TLS failed: the server's certificate (issued by {leaf.Issuer}) is not trusted{hint} ({pin})");
    }

    private static string SpkiPin(X509Certificate2 certificate) => CertificatePin.Compute(certificate);

    private static string DescribeNames(X509Certificate2 certificate)
    {
        X509SubjectAlternativeNameExtension? san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        List<string> names = san?.EnumerateDnsNames().ToList() ?? [];
        return names.Count > 0 ? string.Join(", ", names) : certificate.Subject;
    }
}
