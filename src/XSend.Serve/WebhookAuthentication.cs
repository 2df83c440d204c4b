using System.Security.Cryptography;
using System.Text;

namespace XSend.Serve;

/// <summary>
/// Checks a request's <c>Authorization</c> header against the configured bearer token
/// (RFC 6750) and/or basic credentials (RFC 7617), in constant time.
/// </summary>
internal sealed class WebhookAuthentication(string? token, string? basicCredentials)
{
    private readonly byte[]? _token = token is null ? null : Encoding.UTF8.GetBytes(token);
    private readonly byte[]? _basic = basicCredentials is null ? null : Encoding.UTF8.GetBytes(basicCredentials);

    /// <summary>Whether any credential is configured; without one every request is allowed.</summary>
    public bool IsConfigured => _token is not null || _basic is not null;

    /// <summary>The <c>WWW-Authenticate</c> challenge for a 401.</summary>
    public string Challenge => _token is not null ? "Bearer realm=\"xsend\"" : "Basic realm=\"xsend\", charset=\"UTF-8\"";

    /// <summary>Whether <paramref name="authorization"/> (the header's value) carries a configured credential.</summary>
    public bool Allows(string? authorization)
    {
        if (!IsConfigured)
            return true;
        if (string.IsNullOrEmpty(authorization))
            return false;
        int space = authorization.IndexOf(' ');
        if (space <= 0)
            return false;
        string scheme = authorization[..space];
        string value = authorization[(space + 1)..].Trim();
        if (_token is not null && scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value), _token);
        if (_basic is not null && scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            byte[] decoded = new byte[value.Length];
            return Convert.TryFromBase64String(value, decoded, out int length)
                && CryptographicOperations.FixedTimeEquals(decoded.AsSpan(0, length), _basic);
        }
        return false;
    }
}
