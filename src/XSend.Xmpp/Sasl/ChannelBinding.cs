using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XSend.Xmpp.Sasl;

/// <summary>Channel-binding data for SCRAM-*-PLUS (RFC 5056): its type name and the bytes that bind the TLS channel.</summary>
/// <param name="Type">The channel-binding type, for example <c>tls-server-end-point</c>.</param>
/// <param name="Data">The channel-binding data.</param>
public sealed record ChannelBinding(string Type, byte[] Data)
{
    /// <summary>The RFC 5929 type that every XEP-0440 server must support.</summary>
    public const string TlsServerEndPointType = "tls-server-end-point";

    /// <summary>The RFC 5929 type bound to the handshake's first Finished message; the SCRAM default up to TLS 1.2.</summary>
    public const string TlsUniqueType = "tls-unique";

    /// <summary>The RFC 9266 type, the SCRAM default over TLS 1.3; .NET cannot compute it.</summary>
    public const string TlsExporterType = "tls-exporter";

    /// <summary>
    /// <c>tls-server-end-point</c> (RFC 5929 §4.1): the hash of the server's certificate, using
    /// its signature's hash function, with MD5 and SHA-1 replaced by SHA-256.
    /// </summary>
    /// <remarks>
    /// .NET does not expose TLS exporter keying material, so <c>tls-exporter</c> (RFC 9266) is
    /// out of reach; <c>tls-unique</c> does not exist in TLS 1.3. Over TLS 1.3 this is the
    /// binding left, used when the server lists it (XEP-0440).
    /// </remarks>
    public static ChannelBinding TlsServerEndPoint(X509Certificate2 serverCertificate)
    {
        ArgumentNullException.ThrowIfNull(serverCertificate);
        HashAlgorithmName hash = serverCertificate.SignatureAlgorithm.Value switch
        {
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256, // SHA-256 signatures, and MD5/SHA-1 per RFC 5929 §4.1.
        };
        return new ChannelBinding(TlsServerEndPointType, CryptographicOperations.HashData(hash, serverCertificate.RawData));
    }
}
