using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace XSend.Xmpp;

/// <summary>A host and TCP port to connect to, written <c>host[:port]</c> or <c>[v6]:port</c>.</summary>
/// <param name="Host">A host name or IP address literal.</param>
/// <param name="Port">The TCP port.</param>
public sealed record ServerEndpoint(string Host, int Port)
{
    /// <summary>The IANA-registered client-to-server port (RFC 6120 §14.7).</summary>
    public const int DefaultClientPort = 5222;

    /// <summary>The customary port for XMPP over direct TLS (XEP-0368 deployments use 5223).</summary>
    public const int DefaultDirectTlsPort = 5223;

    /// <summary>Whether TLS starts at once on connect (XEP-0368) instead of with STARTTLS.</summary>
    public bool DirectTls { get; init; }

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[ipv6]</c> or <c>[ipv6]:port</c>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ServerEndpoint? endpoint, [NotNullWhen(false)] out string? error) =>
        TryParse(text, DefaultClientPort, out endpoint, out error);

    /// <summary>Parses like <see cref="TryParse(string?, out ServerEndpoint?, out string?)"/>, with <paramref name="defaultPort"/> when none is written.</summary>
    public static bool TryParse(string? text, int defaultPort, [NotNullWhen(true)] out ServerEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the server is empty";
            return false;
        }

        string host = text.Trim();
        string? portText = null;
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']');
            if (close < 0)
            {
                error = "missing ']' after the IPv6 address";
                return false;
            }
            portText = close + 1 < host.Length ? (host[close + 1] == ':' ? host[(close + 2)..] : "?") : null;
            host = host[1..close];
            if (!IPAddress.TryParse(host, out _))
            {
                error = $"'{host}' is not an IPv6 address";
                return false;
            }
        }
        else
        {
            int colon = host.IndexOf(':');
            if (colon >= 0 && host.IndexOf(':', colon + 1) >= 0)
            {
                if (IPAddress.TryParse(host, out _))
                {
                    endpoint = new ServerEndpoint(host, defaultPort); // a bare IPv6 literal
                    return true;
                }
                error = "write an IPv6 address with a port as [address]:port";
                return false;
            }
            if (colon >= 0)
            {
                portText = host[(colon + 1)..];
                host = host[..colon];
            }
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@'))
        {
            error = $"'{host}' is not a host name";
            return false;
        }

        int port = defaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{portText}' is not a port number (1-65535)";
            return false;
        }

        endpoint = new ServerEndpoint(host, port);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Host.Contains(':') ? $"[{Host}]:{Port.ToString(CultureInfo.InvariantCulture)}" : $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
