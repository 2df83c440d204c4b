using System.Security.Cryptography;
using System.Text;
using XSend.Xmpp;

namespace XSend.Cli.State;

/// <summary>
/// The stable SASL2 user-agent ids (XEP-0388 §2.3) for an account on this machine, one per slot of
/// the <see cref="UserAgentPool"/>: derived from /etc/machine-id, the account and the slot, so each
/// slot presents the same client on every run (servers tie FAST tokens and, with Bind2, the
/// resource to it) without storing anything, and an id reveals none of its inputs.
/// </summary>
internal static class InstallationId
{
    public static Guid For(Jid account, int slot = 0, string machineIdPath = "/etc/machine-id")
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
        // Slot 0 keeps the id earlier versions used.
        string slotPart = slot == 0 ? "" : $"\nslot {slot}";
        return Shape(SHA256.HashData(Encoding.UTF8.GetBytes($"xsend user agent\n{machine}\n{account.Bare}{slotPart}")));
    }

    /// <summary>A random id, for a run that could not take a slot.</summary>
    public static Guid OneOff() => Shape(RandomNumberGenerator.GetBytes(16));

    private static Guid Shape(byte[] hash)
    {
        // RFC 9562 §5.4: shaped as a version 4 (random) UUID, as XEP-0388 asks for.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x40);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
