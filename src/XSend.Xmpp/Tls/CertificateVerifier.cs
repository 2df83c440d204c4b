using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using XSend.Xmpp.Errors;
using XSend.Xmpp.Protocol;

namespace XSend.Xmpp.Tls;

/// <summary>
/// Decides whether to trust the server's certificate. By default it must name the JID's domain
/// (RFC 6125 DNS-ID, as RFC 7590 §3.2 requires for XMPP) and chain to a system root, or to one
/// of the configured CAs instead. Pins replace both checks with "exactly this key"; "accept
/// any" turns them off. Remembers why it refused, for the error message.
/// </summary>
internal sealed class CertificateVerifier(string domain, XmppClientOptions options)
{
    /// <summary>Why the last validation failed, or <see langword="null"/>.</summary>
    public XmppTlsException? Failure { get; private set; }

    /// <summary>Whether the accepted certificate was verified (chain and name, or pin) rather than waved through.</summary>
    public bool IsAuthenticated { get; private set; }

    /// <summary>The accepted or refused certificate's pin.</summary>
    public string? Pin { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Failure = null;
        IsAuthenticated = false;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            Failure = new XmppTlsException(TlsFailure.InvalidCertificate, "TLS failed: the server sent no certificate");
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        string pin = Pin = CertificatePin.Compute(leaf);
        if (options.AcceptAnyCertificate)
            return true;

        if (options.PinnedKeys is { Count: > 0 } pins)
        {
            // A pin is the user's explicit statement about this one key: it replaces chain and name checks.
            if (pins.Contains(pin, StringComparer.Ordinal))
                return IsAuthenticated = true;
            Failure = new XmppTlsException(TlsFailure.PinMismatch,
                $"TLS failed: the server's key is not the pinned one; it presents {pin} (certificate for {DescribeNames(leaf)})");
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            Failure = new XmppTlsException(TlsFailure.NameMismatch,
                $"TLS failed: the server's certificate is for {DescribeNames(leaf)}, not {domain} ({pin})");
            return false;
        }

        if (options.TrustedCertificates is { Count: > 0 } roots)
        {
            // The configured CAs replace the system roots (like curl --cacert).
            using X509Chain custom = BuildCustomChain(leaf, chain, roots);
            if (ChainFlags(custom) == X509ChainStatusFlags.NoError)
                return IsAuthenticated = true;
            Failure = DescribeChainFailure(leaf, custom, pin);
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            Failure = DescribeChainFailure(leaf, chain, pin);
            return false;
        }
        return IsAuthenticated = errors == SslPolicyErrors.None;
    }

    private static X509Chain BuildCustomChain(X509Certificate2 leaf, X509Chain? serverChain, X509Certificate2Collection roots)
    {
        var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (serverChain is not null)
        {
            // Intermediates the server sent.
            foreach (X509ChainElement element in serverChain.ChainElements)
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        custom.Build(leaf);
        return custom;
    }

    private static X509ChainStatusFlags ChainFlags(X509Chain? chain)
    {
        X509ChainStatusFlags flags = X509ChainStatusFlags.NoError;
        if (chain is not null)
        {
            foreach (X509ChainStatus status in chain.ChainStatus)
                flags |= status.Status;
        }
        return flags;
    }

    private XmppTlsException DescribeChainFailure(X509Certificate2 leaf, X509Chain? chain, string pin)
    {
        X509ChainStatusFlags flags = ChainFlags(chain);
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            string when = options.TimeProvider.GetLocalNow().DateTime < leaf.NotBefore
                ? $"is not valid before {leaf.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"
                : $"expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";
            return new XmppTlsException(TlsFailure.Expired, $"TLS failed: the server's certificate {when} ({pin})");
        }
        // The facts only: the caller knows how its user can trust a CA or pin a key.
        string by = options.TrustedCertificates is { Count: > 0 } ? " by the configured CA file" : "";
        return new XmppTlsException(TlsFailure.Untrusted,
            $"TLS failed: the server's certificate (issued by {PrintableText.Sanitize(leaf.Issuer)}) is not trusted{by} ({pin})");
    }

    private static string DescribeNames(X509Certificate2 certificate)
    {
        X509SubjectAlternativeNameExtension? san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        List<string> names = san?.EnumerateDnsNames().ToList() ?? [];
        // Whoever made the certificate chose these names; they are printed, so escape them.
        return PrintableText.Sanitize(names.Count > 0 ? string.Join(", ", names) : certificate.Subject);
    }
}
