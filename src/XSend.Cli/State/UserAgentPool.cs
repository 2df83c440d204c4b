using System.Security.Cryptography;
using System.Text;
using XSend.Xmpp;

namespace XSend.Cli.State;

/// <summary>
/// A small pool of SASL2 user-agent ids per account, so runs at the same time never present the
/// same id. Servers with Bind2 (XEP-0386) derive the resource from it (Prosody: the tag, '~' and a
/// hash of the id), and a second session on the same resource replaces the first with a
/// &lt;conflict/&gt; stream error. Each run takes the first free slot under an advisory lock
/// (flock, released by the kernel when the process ends, even on kill -9); sequential runs keep
/// reusing slot 0. Each slot has its own FAST token. When every slot is busy or the state
/// directory cannot be used, the run gets a one-off random id and no token.
/// </summary>
internal static class UserAgentPool
{
    /// <summary>How many ids an account has.</summary>
    public const int Size = 8;

    /// <summary>
    /// Takes a free slot for <paramref name="account"/>. When the directory cannot be used it says
    /// why on <paramref name="narrate"/> (verbose runs only: a one-off id works, and cron must stay quiet).
    /// </summary>
    public static UserAgentLease Acquire(string stateDirectory, Jid account, Action<string>? narrate)
    {
        string name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(account.Bare.ToString())))[..16];
        try
        {
            PrivateStateFile.CreateDirectory(stateDirectory);
            for (int slot = 0; slot < Size; slot++)
            {
                if (PrivateStateFile.TryLock(Path.Combine(stateDirectory, $".agent-{name}-{slot}.lock")) is { } held)
                    return new UserAgentLease(InstallationId.For(account, slot), slot, held);
            }
            narrate?.Invoke($"all {Size} SASL2 user agents of {account.Bare} are in use; using a one-off id without FAST tokens");
            return new UserAgentLease(InstallationId.OneOff(), null, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            narrate?.Invoke($"cannot lock a SASL2 user agent in {stateDirectory}: {ex.Message}; using a one-off id without FAST tokens");
            return new UserAgentLease(InstallationId.OneOff(), null, null);
        }
    }
}
