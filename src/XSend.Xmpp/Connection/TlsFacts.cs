using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace XSend.Xmpp.Connection;

/// <summary>What a finished TLS handshake established (RFC 6120 §5, XEP-0368 for direct TLS).</summary>
/// <param name="Protocol">The negotiated TLS version.</param>
/// <param name="CipherSuite">The negotiated cipher suite.</param>
/// <param name="Certificate">The server's certificate; the connection owns and disposes it.</param>
/// <param name="IsServerAuthenticated">Whether the certificate was verified (chain and name, or pin), not waved through.</param>
/// <param name="ChannelBindings">The channel bindings (RFC 5929) the handshake offers, best first.</param>
internal sealed record TlsFacts(
    SslProtocols Protocol, TlsCipherSuite CipherSuite, X509Certificate2? Certificate, bool IsServerAuthenticated,
    IReadOnlyList<Sasl.ChannelBinding> ChannelBindings)
{
    /// <summary>"TLS 1.3, TLS_AES_256_GCM_SHA384, certificate CN=… issued by CN=…", for the progress line.</summary>
    public string Describe()
    {
        string version = Protocol switch
        {
            SslProtocols.Tls13 => "TLS 1.3",
            SslProtocols.Tls12 => "TLS 1.2",
            _ => Protocol.ToString(),
        };
        string subject = Certificate is null ? "" : $", certificate {Certificate.Subject} issued by {Certificate.Issuer}";
        return $"{version}, {CipherSuite}{subject}";
    }
}
