using System.Buffers.Binary;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Authentication.ExtendedProtection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ChannelBinding = XSend.Xmpp.Sasl.ChannelBinding;

namespace XSend.Xmpp.Tls;

/// <summary>Reads the channel bindings (RFC 5929) a finished TLS handshake offers, best first.</summary>
internal static class TlsChannelBindings
{
    // .NET hands channel bindings over as a SEC_CHANNEL_BINDINGS structure (eight 32-bit fields)
    // whose application data is "tls-unique:" followed by the binding (RFC 5929 §3 prefix).
    private const int HeaderSize = 32;
    private static readonly byte[] UniquePrefix = Encoding.ASCII.GetBytes("tls-unique:");

    /// <summary>tls-unique (up to TLS 1.2) then tls-server-end-point.</summary>
    public static IReadOnlyList<ChannelBinding> Of(SslStream ssl, X509Certificate2? serverCertificate)
    {
        var bindings = new List<ChannelBinding>(2);
        // RFC 9266 §3: tls-unique is not defined for TLS 1.3 (there it would not be unique).
        if (ssl.SslProtocol != SslProtocols.Tls13 && ReadTlsUnique(ssl) is { } finished)
            bindings.Add(new ChannelBinding(ChannelBinding.TlsUniqueType, finished));
        if (serverCertificate is not null)
            bindings.Add(ChannelBinding.TlsServerEndPoint(serverCertificate));
        return bindings;
    }

    /// <summary>The first Finished message of the handshake (RFC 5929 §3.1), or null when the platform does not say.</summary>
    internal static byte[]? ReadTlsUnique(SslStream ssl)
    {
        System.Security.Authentication.ExtendedProtection.ChannelBinding? binding;
        try
        {
            binding = ssl.TransportContext.GetChannelBinding(ChannelBindingKind.Unique);
        }
        catch (NotSupportedException)
        {
            return null;
        }
        using (binding)
        {
            if (binding is null || binding.IsInvalid || binding.Size <= HeaderSize)
                return null;
            byte[] raw = new byte[binding.Size];
            Marshal.Copy(binding.DangerousGetHandle(), raw, 0, raw.Length);
            int length = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(24));
            int offset = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(28));
            if (offset < HeaderSize || length <= 0 || (long)offset + length > raw.Length)
                return null;
            ReadOnlySpan<byte> data = raw.AsSpan(offset, length);
            if (data.StartsWith(UniquePrefix))
                data = data[UniquePrefix.Length..];
            return data.IsEmpty ? null : data.ToArray();
        }
    }
}
