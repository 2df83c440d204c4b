using System.Security.Cryptography;
using System.Text;
using XSend.Xmpp;

namespace XSend.Cli.State;

/// <summary>
/// The stable SASL2 user-agent id (XEP-0388 §2.3) for an account on this machine: derived from
/// /etc/machine-id and the account, so every run presents the same client (servers tie FAST tokens
/// and client lists to it) without storing anything, and it reveals neither input.
/// </summary>
internal static class InstallationId
{
    public static Guid For(Jid account, string machineIdPath = "/etc/machine-id")
    {
        string machine;
        try
        {
            machine = File.Exists(machineIdPath) ? File.ReadAllText(machineIdPath).Trim() : Environment.MachineName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            machine = Environment.MachineName;
        }
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"xsend user agent\n{machine}\n{account.Bare}"));
        // RFC 9562 §5.4: shaped as a version 4 (random) UUID, as XEP-0388 asks for.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
